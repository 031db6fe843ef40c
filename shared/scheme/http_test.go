package scheme

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/scf"
)

func TestCORS(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	tests := []struct {
		name, method, origin string
		status               int
		allow                string
	}{
		{"allowed GET", http.MethodGet, testOrigin, 200, testOrigin},
		{"other origin GET", http.MethodGet, "https://evil.example.com", 200, ""},
		{"prefix is not a match", http.MethodGet, testOrigin + ".evil.com", 200, ""},
		{"no origin", http.MethodGet, "", 200, ""},
		{"allowed preflight", http.MethodOptions, testOrigin, 204, testOrigin},
		{"refused preflight", http.MethodOptions, "https://evil.example.com", 403, ""},
		{"preflight without origin", http.MethodOptions, "", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.origin != "" {
				h["Origin"] = tt.origin
			}
			if tt.method == http.MethodOptions {
				h["Access-Control-Request-Method"] = "GET"
			}
			r := e.do(t, tt.method, "/?c=spring", "10.0.0.1", h)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d (%+v)", r.Status, tt.status, r.Err)
			}
			if got := r.Header.Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Allow-Origin %q, want %q", got, tt.allow)
			}
			if r.Header.Get("Vary") != "Origin" {
				t.Errorf("Vary %q", r.Header.Get("Vary"))
			}
			if r.Header.Get("Access-Control-Allow-Credentials") != "" {
				t.Error("credentials allowed")
			}
			if tt.allow != "" && r.Header.Get("Access-Control-Expose-Headers") != "Retry-After" {
				t.Errorf("Expose-Headers %q", r.Header.Get("Access-Control-Expose-Headers"))
			}
			if tt.method == http.MethodOptions && tt.allow != "" && !strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "GET") {
				t.Errorf("Allow-Methods %q", r.Header.Get("Access-Control-Allow-Methods"))
			}
		})
	}
	// Without configured origins no CORS header is ever sent.
	none := newEnv(t, nil, nil, nil, func(o *Options) { o.AllowedOrigins = nil })
	r := none.get(t, "/?c=spring", map[string]string{"Origin": testOrigin})
	if r.Header.Get("Access-Control-Allow-Origin") != "" || r.Header.Get("Vary") != "" {
		t.Errorf("CORS headers without an allowlist: %v", r.Header)
	}
}

func TestRateLimitPerIP(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.RatePerMinute = 60; o.Burst = 2 })
	for i := range 2 {
		if r := e.do(t, http.MethodGet, "/?c=spring", "10.0.0.1", nil); r.Status != 200 {
			t.Fatalf("request %d: %d", i, r.Status)
		}
	}
	r := e.do(t, http.MethodGet, "/?c=spring", "10.0.0.1", map[string]string{"Origin": testOrigin})
	if r.Status != 429 || r.Err.Error != "rate_limited" || r.Header.Get("Retry-After") != "1" {
		t.Fatalf("third request: %d %+v Retry-After=%q", r.Status, r.Err, r.Header.Get("Retry-After"))
	}
	if r.Header.Get("Access-Control-Expose-Headers") != "Retry-After" {
		t.Error("Retry-After not exposed to the page")
	}
	if r := e.do(t, http.MethodGet, "/?c=spring", "10.0.0.2", nil); r.Status != 200 {
		t.Errorf("another IP: %d", r.Status)
	}
	e.clock.Advance(time.Second)
	if r := e.do(t, http.MethodGet, "/?c=spring", "10.0.0.1", nil); r.Status != 200 {
		t.Errorf("after a second: %d", r.Status)
	}
	// Limited requests never reach WeChat or the store-backed checks.
	if r := e.do(t, http.MethodGet, "/?c=winter", "10.0.0.1", nil); r.Status != 429 {
		t.Errorf("limited before validation: %d", r.Status)
	}
}

func TestLimiterRetryAfterAndEviction(t *testing.T) {
	l := newLimiter(6, 1, 10) // one token per 10 s
	now := t0
	if ok, _ := l.allow("a", now); !ok {
		t.Fatal("first request refused")
	}
	if ok, retry := l.allow("a", now); ok || retry != 10 {
		t.Fatalf("second request: ok=%v retry=%d, want 10", ok, retry)
	}
	for i := range 100 {
		l.allow("ip"+itoa(int64(i)), now.Add(time.Duration(i)*time.Millisecond))
	}
	if n := l.size(); n > 10 {
		t.Fatalf("limiter holds %d clients, max 10", n)
	}
	if newLimiter(0, 5, 10) != nil {
		t.Error("rate 0 should disable the limiter")
	}
	var off *limiter
	if ok, _ := off.allow("x", now); !ok {
		t.Error("disabled limiter refused")
	}
}

func TestMemCacheBounded(t *testing.T) {
	c := newMemCache(3)
	mk := func(q string) memKey { return memKey{kindScheme, linkTarget("pages/index/index", q, "release")} }
	fresh := entry{OpenLink: "weixin://dl/business/?t=A", ExpiresAt: t0.Add(48 * time.Hour).Unix()}
	stale := entry{OpenLink: "weixin://dl/business/?t=B", ExpiresAt: t0.Unix()}
	c.put(mk("s1"), stale, t0, time.Hour)
	c.put(mk("f1"), fresh, t0, time.Hour)
	c.put(mk("f2"), fresh, t0, time.Hour)
	c.put(mk("f3"), fresh, t0, time.Hour) // evicts the stale one first
	if _, ok := c.get(mk("s1")); ok || c.len() != 3 {
		t.Fatalf("stale entry kept, len %d", c.len())
	}
	c.put(mk("f4"), fresh, t0, time.Hour)
	if c.len() != 3 {
		t.Fatalf("len %d, want 3", c.len())
	}
	if _, ok := c.get(mk("f4")); !ok {
		t.Fatal("new entry missing")
	}
}

func TestCacheKeyDistinguishesFields(t *testing.T) {
	keys := map[string]bool{}
	for _, tg := range [][4]string{
		{"wx1", "a", "bc", "release"}, {"wx1", "ab", "c", "release"}, {"wx1", "a", "bc", "trial"}, {"wx2", "a", "bc", "release"},
	} {
		k := cacheKey(tg[0], linkTarget(tg[1], tg[2], tg[3]))
		if keys[k] {
			t.Fatalf("collision for %v", tg)
		}
		keys[k] = true
	}
}

// TestSCFEvents runs the documented-shape Function URL event and a legacy
// API Gateway event (string boolean, array query value) through the adapter.
func TestSCFEvents(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.RatePerMinute = 60; o.Burst = 1 })
	for _, name := range []string{"function_url.json", "apigw.json"} {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			resp := scf.ServeEvent(context.Background(), e.svc, raw)
			h := http.Header(resp.Headers)
			r := decodeReply(t, resp.StatusCode, h, []byte(resp.Body))
			if r.Status != 200 || !strings.HasSuffix(r.OK.OpenLink, "&cq=sms") || r.OK.Path != "pages/index/index" {
				t.Fatalf("%d %+v %+v", r.Status, r.OK, r.Err)
			}
			if h.Get("Access-Control-Allow-Origin") != testOrigin {
				t.Errorf("CORS through the adapter: %v", h)
			}
			// The client IP comes from the event (x-scf-remote-addr or
			// requestContext.sourceIp): a second event from it is limited.
			resp = scf.ServeEvent(context.Background(), e.svc, raw)
			if resp.StatusCode != 429 {
				t.Errorf("second event from the same client: %d", resp.StatusCode)
			}
		})
	}
	// The integrated response is what scf-go-lib marshals back to SCF.
	raw, _ := os.ReadFile("testdata/function_url.json")
	out, err := scf.HTTPInvoker(newEnv(t, nil, nil, nil).svc).Invoke(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode != 200 || resp.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("invoker output %s: %v", out, err)
	}
}
