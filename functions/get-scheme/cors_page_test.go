package main

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/scheme"
)

// On SCF the page (H5 domain) and get-scheme (a *.tencentscf.com Function
// URL) are two origins. With only LINK_BASE_URL configured, the real
// configuration must let the page through CORS; with the page elsewhere,
// the browser refuses the answer and the page says it is a configuration
// fault, not a network failure. Real Chromium, two loopback origins.
func TestPageAcrossOrigins(t *testing.T) {
	b := startBrowser(t)
	listen := func() (net.Listener, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln, "http://" + ln.Addr().String()
	}
	serve := func(ln net.Listener, h http.Handler) {
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		t.Cleanup(func() { _ = hs.Close() })
	}
	// The API as deployed: options from config.Load of LINK_BASE_URL alone.
	startAPI := func(linkBase string) string {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{"WECHAT_APPID": testAppID, "WECHAT_SECRET": testSecret, "LINK_BASE_URL": linkBase}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		svc, _ := newService(t, startSandbox(t), func(o *scheme.Options) {
			o.AllowedOrigins = scheme.FromConfig(cfg, slog.New(slog.DiscardHandler)).AllowedOrigins
		})
		ln, url := listen()
		serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serveAsFunctionURL(w, r, svc) }))
		return url
	}

	for _, tc := range []struct {
		name      string
		linkBase  func(page string) string
		wantState string
	}{
		{"page origin allowed by default", func(page string) string { return page + "/" }, "jumping"},
		{"page origin not configured", func(string) string { return "https://h5.example.cn/" }, "error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pageLn, pageURL := listen()
			api := startAPI(tc.linkBase(pageURL))
			dir := buildPage(t, "SMSJUMP_API_URL="+api+"/")
			serve(pageLn, http.FileServer(http.Dir(dir)))

			tb, _ := b.open(t, uaIPhoneSafari, true, pageURL+"/?c=spring")
			waitState(t, tb, tc.wantState)
			if tc.wantState != "error" {
				return
			}
			if kind := eval[string](t, tb, `document.body.dataset.errorKind`); kind != "config" {
				t.Errorf("data-error-kind %q, want config (the API answered, CORS refused it)", kind)
			}
			if msg := eval[string](t, tb, `document.getElementById('msg').textContent`); !strings.HasPrefix(msg, "页面配置有误") {
				t.Errorf("#msg %q", msg)
			}
			if retry := eval[bool](t, tb, `!document.getElementById('retry').hidden`); retry {
				t.Error("retry offered for a configuration fault")
			}
		})
	}
}
