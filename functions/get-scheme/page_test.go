package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/smsjump/smsjump/shared/scheme"
)

// User agents of the browsers the page must handle.
const (
	uaIPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaAndroidChrome = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
	uaAndroidWeChat = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240404 MMWEBID/2585 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
	uaIOSWeChat     = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN"
	uaDesktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)

// fakeJSSDK stands in for res.wx.qq.com/open/js/jweixin-1.6.0.js: it
// records wx.config and fires ready, as WeChat does for an accepted config.
// A page opened with #refuse-config gets wx.error instead, as WeChat
// answers a config it refuses ("invalid signature").
const fakeJSSDK = `(function(){var r=[],e=[];window.__wxConfigs=[];window.wx={
config:function(c){window.__wxConfigs.push(c);setTimeout(function(){
if(location.hash==='#refuse-config'){e.forEach(function(f){f({errMsg:'config:invalid signature'})})}else{r.forEach(function(f){f()})}},0)},
ready:function(f){r.push(f)},error:function(f){e.push(f)}};})();`

// browser is one headless Chromium shared by every page test.
type browser struct {
	ctx       context.Context
	artifacts string
}

var (
	browserOnce sync.Once
	shared      *browser
	sharedErr   string
	sharedStop  func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedStop != nil {
		sharedStop()
	}
	os.Exit(code)
}

// startBrowser starts Chromium from SMSJUMP_CHROMIUM once per test binary.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	path := os.Getenv("SMSJUMP_CHROMIUM")
	if path == "" {
		requireOrSkip(t, "SMSJUMP_CHROMIUM (path of a Chromium binary) is not set")
	}
	browserOnce.Do(func() {
		profile, err := os.MkdirTemp("", "smsjump-chromium-")
		if err != nil {
			sharedErr = err.Error()
			return
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.NoDefaultBrowserCheck,
			chromedp.UserDataDir(profile),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-extensions", true),
		)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[int]("1")); err != nil {
			cancelBrowser()
			cancelAlloc()
			sharedErr = "start Chromium: " + err.Error()
			return
		}
		dir := os.Getenv("SMSJUMP_ARTIFACTS")
		if dir == "" {
			dir = filepath.Join(os.TempDir(), "smsjump-artifacts")
		}
		dir = filepath.Join(dir, "page")
		_ = os.MkdirAll(dir, 0o755)
		shared = &browser{ctx: bctx, artifacts: dir}
		sharedStop = func() {
			cancelBrowser()
			cancelAlloc()
			_ = os.RemoveAll(profile)
		}
	})
	if shared == nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// tab is one page load with what it observed.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	navs     []string // weixin:// navigations the page requested
	urlLinks []string // https://wxaurl.cn/ navigations (answered 204: the page stays)
	jumpAt   time.Time
	// navStart is when the navigation to the page was sent.
	navStart time.Time
}

func (tb *tab) weixinNavs() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.navs...)
}

func (tb *tab) urlLinkNavs() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.urlLinks...)
}

// open loads pageURL in a new tab with the user agent ua.
func (b *browser) open(t *testing.T, ua string, mobile bool, pageURL string) (*tab, time.Duration) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancelTimeout)
	tb := &tab{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventFrameRequestedNavigation:
			if strings.HasPrefix(e.URL, "weixin:") {
				tb.mu.Lock()
				if len(tb.navs) == 0 {
					tb.jumpAt = time.Now()
				}
				tb.navs = append(tb.navs, e.URL)
				tb.mu.Unlock()
			}
		case *fetch.EventRequestPaused:
			if strings.HasPrefix(e.Request.URL, "https://wxaurl.cn/") {
				// WeChat's URL Link: recorded, and answered 204 so that the
				// browser stays on the page (a 204 never commits).
				tb.mu.Lock()
				if len(tb.navs) == 0 && len(tb.urlLinks) == 0 {
					tb.jumpAt = time.Now()
				}
				tb.urlLinks = append(tb.urlLinks, e.Request.URL)
				tb.mu.Unlock()
				go func() {
					_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: e.RequestID, ResponseCode: 204})
				}()
				return
			}
			if strings.HasPrefix(e.Request.URL, "https://h5.example.cn/") {
				// Posters and the brand icon of the matrix test.
				go func() {
					_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
						RequestID: e.RequestID, ResponseCode: 200,
						ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "image/png"}},
						Body:            testImage(e.Request.URL),
					})
				}()
				return
			}
			// Listen's func must not block: answer from another goroutine.
			go func() {
				_, _ = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID:    e.RequestID,
					ResponseCode: 200,
					ResponseHeaders: []*fetch.HeaderEntry{
						{Name: "Content-Type", Value: "application/javascript"},
					},
					Body: []byte(fakeJSSDK),
				})
			}()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	width, height, scale := int64(390), int64(844), 3.0
	if !mobile {
		width, height, scale = 1280, 800, 1
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			if _, err := chromedp.Call(ctx, page.Enable, page.EnableParams{}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{
				Patterns: []*fetch.RequestPattern{{URLPattern: "https://res.wx.qq.com/*"}, {URLPattern: "https://wxaurl.cn/*"}, {URLPattern: "https://h5.example.cn/*"}},
			}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua}); err != nil {
				return err
			}
			_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: width, Height: height, DeviceScaleFactor: scale, Mobile: mobile,
			})
			return err
		}),
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	tb.mu.Lock()
	tb.navStart = start
	tb.mu.Unlock()
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatal(err)
	}
	return tb, time.Since(start)
}

// eval evaluates a JavaScript expression in the tab.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitState waits until body[data-state] is want.
func waitState(t *testing.T, tb *tab, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		got = eval[string](t, tb, `document.body.dataset.state || ""`)
		if got == want {
			return
		}
		time.Sleep(40 * time.Millisecond)
	}
	t.Fatalf("body[data-state] = %q, want %q; #msg %q", got, want, eval[string](t, tb, `document.getElementById('msg').textContent`))
}

func (b *browser) screenshot(t *testing.T, tb *tab, name string) {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.artifacts, name+".png"), png, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// expectedOpenLink is the exact openlink the handler gives for campaign
// spring with cq, read from the cache the page request filled.
func expectedOpenLink(t *testing.T, s *site, cq string) string {
	t.Helper()
	r, err := s.svc.Open(context.Background(), scheme.Request{Campaign: "spring", CQ: cq})
	if err != nil {
		t.Fatal(err)
	}
	return r.OpenLink
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
}

// Texts of static/src/texts.js the page shows for each error kind (the
// start of it for the kinds that name a time).
var errorTexts = map[string]string{
	"invalid_link":    "链接无效或已失效，请检查短信中的链接是否完整。",
	"not_found":       "活动不存在，请检查链接是否正确。",
	"not_started":     "活动将于 ",
	"ended":           "活动已于 ",
	"rate_limited":    "当前访问人数较多，请稍后重试。",
	"quota_exhausted": "今日打开次数已达上限，请稍后或明天再试。",
	"unavailable":     "微信服务暂时繁忙，请稍后重试。",
	"bad_request":     "链接不完整，请检查短信中的链接是否完整。",
	"network":         "网络连接失败，请检查网络后重试。",
}

func TestPage(t *testing.T) {
	b := startBrowser(t)
	s := startSite(t)

	for _, tc := range []struct {
		name string
		ua   string
	}{
		{"iphone-safari", uaIPhoneSafari},
		{"android-chrome", uaAndroidChrome},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := b.open(t, tc.ua, true, s.url+"/?c=spring&cq=sms")
			waitState(t, tb, "jumping")
			want := expectedOpenLink(t, s, "sms")
			if env := eval[string](t, tb, `document.body.dataset.env`); env != "mobile" {
				t.Errorf("data-env %q", env)
			}
			if href := eval[string](t, tb, `document.getElementById('open-btn').getAttribute('href')`); href != want {
				t.Errorf("#open-btn href %q, want %q", href, want)
			}
			if vis := eval[bool](t, tb, `!document.getElementById('open-btn').hidden && document.getElementById('open-btn').offsetHeight > 40`); !vis {
				t.Error("the open button is not shown large")
			}
			// Headless Chromium cannot open weixin://, so the page stays and
			// shows its help after the fallback delay.
			waitState(t, tb, "fallback")
			navs := tb.weixinNavs()
			if len(navs) != 1 || navs[0] != want {
				t.Errorf("weixin:// navigations %q, want exactly [%q]", navs, want)
			}
			b.screenshot(t, tb, tc.name)
			// The button is a real link to the same openlink.
			if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](`document.getElementById('open-btn').click()`)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for len(tb.weixinNavs()) < 2 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if navs := tb.weixinNavs(); len(navs) != 2 || navs[1] != want {
				t.Errorf("after tapping the button: navigations %q", navs)
			}
		})
	}

	// Inside WeChat off CloudBase hosting: the URL Link, never weixin://.
	for _, tc := range []struct {
		name string
		ua   string
	}{
		{"android-wechat", uaAndroidWeChat},
		{"ios-wechat", uaIOSWeChat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := b.open(t, tc.ua, true, s.url+"/?c=spring&cq=sms")
			waitState(t, tb, "urllink")
			if env := eval[string](t, tb, `document.body.dataset.env`); env != "wechat" {
				t.Errorf("data-env %q", env)
			}
			r, err := s.svc.Open(context.Background(), scheme.Request{Campaign: "spring", CQ: "sms", URLLink: true})
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, func() bool { return len(tb.urlLinkNavs()) > 0 })
			if navs := tb.urlLinkNavs(); len(navs) != 1 || navs[0] != r.OpenLink || !strings.HasSuffix(navs[0], "?cq=sms") {
				t.Errorf("URL Link navigations %q, want [%q]", navs, r.OpenLink)
			}
			if href := eval[string](t, tb, `document.getElementById('open-btn').getAttribute('href')`); href != r.OpenLink {
				t.Errorf("#open-btn href %q", href)
			}
			if navs := tb.weixinNavs(); len(navs) != 0 {
				t.Errorf("inside WeChat the page navigated to %q", navs)
			}
			b.screenshot(t, tb, tc.name)
		})
	}

	t.Run("desktop-chrome", func(t *testing.T) {
		pageURL := s.url + "/?c=spring&cq=poster"
		tb, _ := b.open(t, uaDesktopChrome, false, pageURL)
		waitState(t, tb, "desktop")
		if got := eval[string](t, tb, `document.querySelector('svg#qr, #qr svg, #qr') && (document.getElementById('qr').getAttribute('data-qr-text') || '')`); got != pageURL {
			t.Errorf("QR text %q, want the page URL %q", got, pageURL)
		}
		if n := eval[int](t, tb, `document.querySelectorAll('#qr path, svg#qr path').length`); n == 0 {
			t.Error("no QR code drawn")
		}
		if msg := eval[string](t, tb, `document.getElementById('msg').textContent`); msg != "请用手机微信扫码打开" {
			t.Errorf("#msg %q", msg)
		}
		b.screenshot(t, tb, "desktop-chrome")
	})

	for _, tc := range []struct {
		kind, query     string
		retry, fallback bool
	}{
		{"invalid_link", "c=spring&k=ABCDEFGH", false, true},
		{"not_found", "c=winter", false, true},
		{"not_started", "c=later", false, true},
		{"ended", "c=over", false, true},
		{"bad_request", "k=ABCDEFGH", false, false},
		{"rate_limited", "c=limited", true, false},
		{"quota_exhausted", "c=quota", true, false},
		{"unavailable", "c=busy", true, false},
		{"network", "c=netfail", true, false},
	} {
		t.Run("error-"+tc.kind, func(t *testing.T) {
			tb, _ := b.open(t, uaIPhoneSafari, true, s.url+"/?"+tc.query)
			waitState(t, tb, "error")
			if kind := eval[string](t, tb, `document.body.dataset.errorKind`); kind != tc.kind {
				t.Errorf("data-error-kind %q, want %q", kind, tc.kind)
			}
			if msg := eval[string](t, tb, `document.getElementById('msg').textContent`); !strings.HasPrefix(msg, errorTexts[tc.kind]) {
				t.Errorf("#msg %q, want %q", msg, errorTexts[tc.kind])
			}
			if h := eval[string](t, tb, `document.getElementById('heading').textContent`); h == "打开小程序" {
				t.Error("an error under the heading 打开小程序")
			}
			fb := eval[string](t, tb, `(() => { const a = document.getElementById('fallback-btn'); return a.hidden ? '' : a.getAttribute('href'); })()`)
			if tc.fallback != strings.HasPrefix(fb, "weixin://dl/business/?t=") {
				t.Errorf("fallback button %q, want one: %v", fb, tc.fallback)
			}
			if retry := eval[bool](t, tb, `!document.getElementById('retry').hidden`); retry != tc.retry {
				t.Errorf("retry shown = %v, want %v", retry, tc.retry)
			}
			if tc.kind == "rate_limited" {
				if d := eval[bool](t, tb, `document.getElementById('retry').disabled`); !d {
					t.Error("retry not held back during Retry-After")
				}
			}
			if navs := tb.weixinNavs(); len(navs) != 0 {
				t.Errorf("error page navigated to %q", navs)
			}
			b.screenshot(t, tb, "error-"+tc.kind)
		})
	}
	// Forged links and refused campaigns cost WeChat nothing but the one
	// cached scheme of the fallback page.
	if n := s.wx.Calls("/wxa/generatescheme"); n != 2 {
		t.Errorf("generatescheme calls on the main sandbox = %d, want 2 (spring and the fallback page)", n)
	}
}

func anyStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
