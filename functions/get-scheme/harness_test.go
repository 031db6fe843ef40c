package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

const testOriginalID = "gh_0123456789ab"

// site is the built H5 page and the real get-scheme handler, behind the SCF
// adapter, on one loopback origin, as the local emulator serves them.
type site struct {
	url   string // http://127.0.0.1:port
	dir   string // the built page
	wx    *wxapi.Server
	svc   *scheme.Service
	links *link.Registry
	// funnel holds what the page's beacons counted (real beacon handler).
	funnel store.Store
}

// Campaigns the page tests open. Some are routed to instances set up to
// fail in one way; the router only picks the instance, the answer is the
// real handler's.
var pageCampaigns = map[string]config.StaticCampaign{
	"spring":  {Path: "pages/index/index", Query: "from=sms"},
	"later":   {Path: "pages/index/index", Start: time.Now().Add(24 * time.Hour)},
	"over":    {Path: "pages/index/index", End: time.Now().Add(-time.Hour)},
	"quota":   {Path: "pages/quota/index"},
	"busy":    {Path: "pages/busy/index"},
	"limited": {Path: "pages/index/index"},
	"netfail": {Path: "pages/index/index"},
}

// buildPage runs static/build.mjs into a temporary directory; extra are
// more build variables (KEY=value).
func buildPage(t testing.TB, extra ...string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		requireOrSkip(t, "node is not installed")
	}
	out := t.TempDir()
	cmd := exec.Command(node, "build.mjs", "--out", out)
	cmd.Dir = filepath.Join("..", "..", "static")
	cmd.Env = append(os.Environ(),
		"SMSJUMP_API_URL=/api/scheme",
		"WECHAT_APPID="+testAppID,
		"WECHAT_ORIGINAL_ID="+testOriginalID,
		"SMSJUMP_FALLBACK_MS=1000",
		"SMSJUMP_BRAND_NAME=示例商城",
	)
	cmd.Env = append(cmd.Env, extra...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("static build: %v\n%s", err, b)
	}
	return out
}

// requireOrSkip skips, or fails when SMSJUMP_REQUIRE_SERVERS=1 (CI).
func requireOrSkip(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
		t.Fatalf("%s and SMSJUMP_REQUIRE_SERVERS=1", why)
	}
	t.Skip(why)
}

func newService(t testing.TB, wx *wxapi.Server, mod func(*scheme.Options)) (*scheme.Service, *link.Registry) {
	t.Helper()
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	quiet := slog.New(slog.DiscardHandler)
	wc := wechat.New(wx.URL(), testAppID, testSecret, nil)
	wc.Logger = quiet
	links := link.NewRegistry(st, pageCampaigns, link.Options{})
	o := scheme.Options{AppID: testAppID, Backoff: 50 * time.Millisecond, Logger: quiet}
	if mod != nil {
		mod(&o)
	}
	svc, err := scheme.New(links, st, wc, token.New(wc, st, token.Options{AppID: testAppID, Logger: quiet}), o)
	if err != nil {
		t.Fatal(err)
	}
	return svc, links
}

func startSandbox(t testing.TB) *wxapi.Server {
	t.Helper()
	wx, err := wxapi.Start(wxapi.Options{AppID: testAppID, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wx.Close() })
	return wx
}

// startSite serves the page built with extra build variables (see
// buildPage) and the get-scheme handler, whose fallback page is
// pages/home/index.
func startSite(t testing.TB, extra ...string) *site {
	t.Helper()
	return startSiteWith(t, nil, extra...)
}

// startSiteWith is startSite with more options for the main service; origin
// is the site's own (http://127.0.0.1:port).
func startSiteWith(t testing.TB, mod func(o *scheme.Options, origin string), extra ...string) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	s := &site{dir: buildPage(t, extra...), wx: startSandbox(t)}
	s.svc, s.links = newService(t, s.wx, func(o *scheme.Options) {
		o.FallbackPath = "pages/home/index"
		if mod != nil {
			mod(o, origin)
		}
	})

	// quota: WeChat answers 44993 (no plaintext fallback) → 503 quota_exhausted.
	quotaWX := startSandbox(t)
	quotaWX.Inject(wxapi.PathGenerateScheme, 44993, 1<<20)
	quota, _ := newService(t, quotaWX, nil)
	// busy: another sandbox stuck at 44990 → backoff, then 503 unavailable.
	busyWX := startSandbox(t)
	busyWX.Inject(wxapi.PathGenerateScheme, 44990, 1<<20)
	busy, _ := newService(t, busyWX, nil)
	// limited: a one-request bucket per client that the first request empties.
	limited, _ := newService(t, startSandbox(t), func(o *scheme.Options) { o.RatePerMinute = 1; o.Burst = 1 })

	api := func(w http.ResponseWriter, r *http.Request) {
		h := http.Handler(s.svc)
		switch r.URL.Query().Get("c") {
		case "quota":
			h = quota
		case "busy":
			h = busy
		case "limited":
			h = limited
		case "netfail":
			// Drop the connection: the page's fetch rejects (network).
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		serveAsFunctionURL(w, r, h)
	}
	// Empty the loopback client's bucket, so the page's request is limited.
	pre := httptest.NewRequest(http.MethodGet, "/api/scheme?c=limited", nil)
	pre.RemoteAddr = "127.0.0.1:1"
	serveAsFunctionURL(httptest.NewRecorder(), pre, limited)

	mux := http.NewServeMux()
	mux.HandleFunc("/api/scheme", api)
	mux.HandleFunc("/api/scheme/", api)
	mux.Handle("/api/scheme/beacon", beaconHandler(t, s))
	mux.Handle("/", http.FileServer(http.Dir(s.dir)))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	s.url = origin
	return s
}

// serveAsFunctionURL turns an HTTP request into the Function URL event SCF
// would send, runs it through the SCF adapter with an SCF-like deadline,
// and writes the integrated response back.
func serveAsFunctionURL(w http.ResponseWriter, r *http.Request, h http.Handler) {
	headers := map[string]string{}
	for k, v := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(v, ",")
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		headers["x-scf-remote-addr"] = host
	}
	query := map[string]string{}
	for k, v := range r.URL.Query() {
		query[k] = v[0]
	}
	// The Function URL is mounted at /api/scheme, as in the local emulator.
	path := strings.TrimPrefix(r.URL.Path, "/api/scheme")
	if path == "" {
		path = "/"
	}
	raw, err := json.Marshal(map[string]any{
		"httpMethod": r.Method, "path": path, "headers": headers, "queryString": query, "body": "",
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 1500*time.Millisecond)
	defer cancel()
	resp := scf.ServeEvent(ctx, h, raw)
	for k, vs := range resp.Headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write([]byte(resp.Body))
}
