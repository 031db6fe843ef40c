package scheme

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

func TestEncryptedAnswerAndCache(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	first := e.get(t, "/?c=spring&cq=sms%20a", nil)
	if first.Status != 200 {
		t.Fatalf("status %d %+v", first.Status, first.Err)
	}
	a := first.OK
	if !strings.HasPrefix(a.OpenLink, "weixin://dl/business/?t=") || !strings.HasSuffix(a.OpenLink, "&cq=sms%20a") {
		t.Errorf("openlink %q", a.OpenLink)
	}
	if a.Mode != ModeEncrypted || a.Path != "pages/index/index" || a.Query != "from=sms" || a.EnvVersion != "release" {
		t.Errorf("answer %+v", a)
	}
	if want := t0.Add(30 * 24 * time.Hour).Unix(); a.ExpiresAt != want {
		t.Errorf("expires_at %d, want %d", a.ExpiresAt, want)
	}
	issued := e.wx.Schemes()
	if len(issued) != 1 || issued[0].Query != "from=sms" || issued[0].Path != "pages/index/index" {
		t.Fatalf("issued %+v", issued)
	}

	// Another recipient, another cq: same scheme, no call.
	second := e.get(t, "/?c=spring&cq=poster", nil)
	base := strings.TrimSuffix(a.OpenLink, "&cq=sms%20a")
	if second.OK.OpenLink != base+"&cq=poster" {
		t.Errorf("second openlink %q, want %q", second.OK.OpenLink, base+"&cq=poster")
	}
	if third := e.get(t, "/?c=spring", nil); third.OK.OpenLink != base {
		t.Errorf("without cq: %q", third.OK.OpenLink)
	}
	if n := e.generated(); n != 1 {
		t.Errorf("generatescheme calls = %d, want 1", n)
	}

	// A campaign on another env_version is another target.
	if r := e.get(t, "/?c=trial", nil); r.OK.EnvVersion != "trial" || r.OK.OpenLink == base {
		t.Errorf("trial answer %+v", r.OK)
	}
	if n := e.generated(); n != 2 {
		t.Errorf("generatescheme calls = %d, want 2", n)
	}
}

func TestPersonalCode(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	ctx := context.Background()
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "autumn", Target: link.Target{Path: "pages/a/a", Query: "x=1"}}); err != nil {
		t.Fatal(err)
	}
	plain, err := e.links.NewCode(ctx, link.Code{Campaign: "autumn", CQ: "渠道"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	personal, err := e.links.NewCode(ctx, link.Code{Campaign: "autumn", Query: "uid=7"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	r := e.get(t, "/?c=autumn&k="+plain+"&cq=ignored", nil)
	if r.Status != 200 || r.OK.Query != "x=1" || !strings.HasSuffix(r.OK.OpenLink, "&cq=%E6%B8%A0%E9%81%93") {
		t.Fatalf("code with cq: %d %+v", r.Status, r.OK)
	}
	r2 := e.get(t, "/?c=autumn&k="+personal, nil)
	if r2.Status != 200 || r2.OK.Query != "uid=7" || r2.OK.OpenLink == strings.Split(r.OK.OpenLink, "&")[0] {
		t.Fatalf("code with query: %+v", r2.OK)
	}
	if n := e.generated(); n != 2 {
		t.Errorf("generatescheme calls = %d, want 2 (one per target)", n)
	}
}

func TestSharedStoreAcrossInstances(t *testing.T) {
	wx := newSandbox(t)
	st := newMemStore(t)
	c := &clock{t: t0}
	a := newEnv(t, wx, st, c)
	b := newEnv(t, wx, st, c)
	ra, err := a.svc.Open(context.Background(), Request{Campaign: "spring"})
	if err != nil || ra.Source != SourceGenerated {
		t.Fatalf("a: %+v %v", ra, err)
	}
	rb, err := b.svc.Open(context.Background(), Request{Campaign: "spring"})
	if err != nil || rb.Source != SourceStore || rb.OpenLink != ra.OpenLink {
		t.Fatalf("b: %+v %v", rb, err)
	}
	rb, _ = b.svc.Open(context.Background(), Request{Campaign: "spring"})
	if rb.Source != SourceMemory {
		t.Errorf("b second: %s", rb.Source)
	}
	if n := wx.Calls(wxapi.PathGenerateScheme); n != 1 {
		t.Errorf("generatescheme calls = %d, want 1", n)
	}
}

// TestRegenerateAhead: a scheme is served while more than the margin is
// left and replaced, never served, once it is not.
func TestRegenerateAhead(t *testing.T) {
	wx := newSandbox(t)
	st := newMemStore(t)
	c := &clock{t: t0}
	e := newEnv(t, wx, st, c, func(o *Options) { o.Margin = time.Hour })
	ctx := context.Background()
	first, err := e.svc.Open(ctx, Request{Campaign: "spring"})
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(30*24*time.Hour - time.Hour - time.Second) // 1h1s left
	r, err := e.svc.Open(ctx, Request{Campaign: "spring"})
	if err != nil || r.OpenLink != first.OpenLink || r.Source != SourceMemory {
		t.Fatalf("just outside the margin: %+v %v", r, err)
	}
	c.Advance(time.Second) // exactly the margin left: not servable
	r, err = e.svc.Open(ctx, Request{Campaign: "spring"})
	if err != nil || r.OpenLink == first.OpenLink || r.Source != SourceGenerated {
		t.Fatalf("within the margin: %+v %v", r, err)
	}
	if !r.ExpiresAt.After(c.Now().Add(29 * 24 * time.Hour)) {
		t.Errorf("new scheme expires %s", r.ExpiresAt)
	}

	// Another instance whose memory still holds nothing reads the store and
	// finds the new one, not the old.
	other := newEnv(t, wx, st, c)
	r2, err := other.svc.Open(ctx, Request{Campaign: "spring"})
	if err != nil || r2.OpenLink != r.OpenLink {
		t.Fatalf("other instance: %+v %v", r2, err)
	}
	if n := wx.Calls(wxapi.PathGenerateScheme); n != 2 {
		t.Errorf("generatescheme calls = %d, want 2", n)
	}
}

// TestNeverServesStale: an entry in the shared store that is expired or
// inside the margin (a clock skew between instances, a store without TTL)
// is regenerated, not served.
func TestNeverServesStale(t *testing.T) {
	for _, left := range []time.Duration{-time.Hour, 0, 30 * time.Minute, time.Hour} {
		e := newEnv(t, nil, nil, nil)
		key := cacheKey(testAppID, link.Target{Path: "pages/index/index", Query: "from=sms", EnvVersion: "release"})
		stale := `{"openlink":"weixin://dl/business/?t=STALE","expires_at":` + itoa(t0.Add(left).Unix()) + `}`
		if err := e.st.Set(context.Background(), key, []byte(stale), 0); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"})
		if err != nil || strings.Contains(r.OpenLink, "STALE") || r.Source != SourceGenerated {
			t.Errorf("%s left: served %+v %v", left, r, err)
		}
	}
	// Just over the margin is still served.
	e := newEnv(t, nil, nil, nil)
	key := cacheKey(testAppID, link.Target{Path: "pages/index/index", Query: "from=sms", EnvVersion: "release"})
	ok := `{"openlink":"weixin://dl/business/?t=OK","expires_at":` + itoa(t0.Add(time.Hour+time.Second).Unix()) + `}`
	if err := e.st.Set(context.Background(), key, []byte(ok), 0); err != nil {
		t.Fatal(err)
	}
	if r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"}); err != nil || r.Source != SourceStore {
		t.Errorf("fresh stored entry: %+v %v", r, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSingleFlight(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	e.wx.SetLatency(wxapi.PathGenerateScheme, 50*time.Millisecond)
	const n = 100
	errs := make(chan error, n)
	links := make(chan string, n)
	start := make(chan struct{})
	for range n {
		go func() {
			<-start
			r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"})
			errs <- err
			links <- r.OpenLink
		}()
	}
	close(start)
	var first string
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		l := <-links
		if first == "" {
			first = l
		} else if l != first {
			t.Fatalf("different openlinks %q and %q", first, l)
		}
	}
	if got := e.generated(); got != 1 {
		t.Fatalf("100 concurrent cold opens made %d generatescheme calls, want 1", got)
	}
}

func TestTokenRejectedRecovers(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	ctx := context.Background()
	if _, err := e.svc.Open(ctx, Request{Campaign: "spring"}); err != nil {
		t.Fatal(err)
	}
	// The token is now cached; another party force-refreshes it (40001 on
	// the next use), then it is also reported expired (42001) once.
	e.wx.ForceRefreshFromElsewhere()
	r, err := e.svc.Open(ctx, Request{Campaign: "trial"})
	if err != nil || r.Source != SourceGenerated {
		t.Fatalf("after 40001: %+v %v", r, err)
	}
	e.wx.Inject(wxapi.PathGenerateScheme, 42001, 1)
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "third", Target: link.Target{Path: "pages/c/c"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Open(ctx, Request{Campaign: "third"}); err != nil {
		t.Fatalf("after 42001: %v", err)
	}
	// spring: 1, trial: rejected + retried = 2, third: rejected + retried = 2.
	if got := e.generated(); got != 5 {
		t.Errorf("generatescheme calls = %d, want 5", got)
	}
}

func TestRateLimitedBackoff(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	e.wx.Inject(wxapi.PathGenerateScheme, 44990, 2)
	r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"})
	if err != nil || r.Source != SourceGenerated {
		t.Fatalf("after two 44990: %+v %v", r, err)
	}
	if got := e.generated(); got != 3 {
		t.Errorf("generatescheme calls = %d, want 3", got)
	}

	// WeChat stays limited past the request deadline: 503 unavailable,
	// and the handler returns before the deadline is long gone. The
	// deadline is long enough that the tenth kept back for the answer
	// (300 ms) outlasts a loaded machine's scheduling delays.
	e.wx.Inject(wxapi.PathGenerateScheme, 44990, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err = e.svc.Open(ctx, Request{Campaign: "trial"})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, wechat.ErrRateLimited) {
		t.Fatalf("persistent 44990: %v", err)
	}
	if ctx.Err() != nil {
		t.Errorf("gave up only after the deadline: %v", ctx.Err())
	}
}

// TestRateLimitedRetrySlowerThanTheLast: a retry is planned on the last
// call's duration; one that turns out slower is cut before the request
// deadline and the answer is still "rate limited", in time.
func TestRateLimitedRetrySlowerThanTheLast(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	e.wx.Inject(wxapi.PathGenerateScheme, 44990, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	slow := make(chan struct{})
	go func() {
		defer close(slow)
		for e.generated() < 3 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		e.wx.SetLatency(wxapi.PathGenerateScheme, time.Minute)
	}()
	_, err := e.svc.Open(ctx, Request{Campaign: "spring"})
	<-slow
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, wechat.ErrRateLimited) {
		t.Fatalf("limited, then a slow retry: %v", err)
	}
	if ctx.Err() != nil {
		t.Errorf("gave up only after the deadline: %v", ctx.Err())
	}
}

func TestQuotaExhausted(t *testing.T) {
	for _, code := range []int{44993, 45009, 85406} {
		for _, fallback := range []bool{false, true} {
			e := newEnv(t, nil, nil, nil, func(o *Options) { o.FallbackPlaintext = fallback })
			e.wx.Inject(wxapi.PathGenerateScheme, code, 1)
			r := e.get(t, "/?c=spring&cq=x", nil)
			if !fallback {
				if r.Status != 503 || r.Err.Error != "quota_exhausted" {
					t.Errorf("%d without fallback: %d %+v", code, r.Status, r.Err)
				}
				continue
			}
			want := wechat.PlaintextScheme(testAppID, "pages/index/index", "from=sms", "release") + "&cq=x"
			if r.Status != 200 || r.OK.Mode != ModePlaintext || r.OK.OpenLink != want || r.OK.ExpiresAt != 0 {
				t.Errorf("%d with fallback: %d %+v", code, r.Status, r.OK)
			}
			if got := e.generated(); got != 1 {
				t.Errorf("%d: generatescheme calls = %d, want 1", code, got)
			}
		}
	}
}

func TestPlaintextMode(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.Mode = ModePlaintext })
	r := e.get(t, "/?c=trial&cq=a", nil)
	want := "weixin://dl/business/?appid=" + testAppID + "&path=pages/trial/index&env_version=trial&cq=a"
	if r.Status != 200 || r.OK.OpenLink != want || r.OK.Mode != ModePlaintext {
		t.Fatalf("plaintext: %d %+v, want %s", r.Status, r.OK, want)
	}
	r = e.get(t, "/?c=spring", nil)
	if want := "weixin://dl/business/?appid=" + testAppID + "&path=pages/index/index&query=from%3Dsms&env_version=release"; r.OK.OpenLink != want {
		t.Errorf("plaintext with query: %q, want %q", r.OK.OpenLink, want)
	}
	if n := e.wx.Calls(wxapi.PathGenerateScheme) + e.wx.Calls(wxapi.PathStableToken); n != 0 {
		t.Errorf("plaintext mode made %d WeChat calls", n)
	}
}

func TestNewRejectsOptions(t *testing.T) {
	st := newMemStore(t)
	links := link.NewRegistry(st, nil, link.Options{})
	for _, o := range []Options{
		{},
		{AppID: "wx1", Mode: "magic"},
		{AppID: "wx1", TTLDays: 31},
		{AppID: "wx1", TTLDays: 1, Margin: 12 * time.Hour},
	} {
		if _, err := New(links, st, nil, nil, o); !errors.Is(err, ErrOptions) {
			t.Errorf("New(%+v) = %v", o, err)
		}
	}
	if _, err := New(links, st, nil, nil, Options{AppID: "wx1"}); !errors.Is(err, ErrOptions) {
		t.Error("encrypted mode without a WeChat client accepted")
	}
	if _, err := New(links, st, nil, nil, Options{AppID: "wx1", Mode: ModePlaintext}); err != nil {
		t.Errorf("plaintext without a client: %v", err)
	}
}
