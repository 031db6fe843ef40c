package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/jssdk"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// More user agents of the matrix (page_test.go has the first ones).
const (
	uaWeCom         = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.26 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
	uaQQ            = "Mozilla/5.0 (Linux; Android 13; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/6.2 TBS/047205 Mobile Safari/537.36 V1_AND_SQ_8.9.80_4614_YYB_D QQ/8.9.80.12440"
	uaWeibo         = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone15,2__weibo__14.6.2__iphone__os17.5)"
	uaHuawei        = "Mozilla/5.0 (Linux; Android 12; NOH-AN00 Build/HUAWEINOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36"
	uaXiaomi        = "Mozilla/5.0 (Linux; U; Android 14; zh-cn; 23127PN0CC Build/UKQ1.230804.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.80 Mobile Safari/537.36 XiaoMi/MiuiBrowser/18.5.40422"
	uaWindowsWeChat = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090a13)"
	uaMacWeChat     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) MicroMessenger/6.8.0(0x16080000) MacWechat/3.8.7(0x13080710) Language/zh_CN"
)

// testImage is a small PNG, green for the brand icon and blue for posters.
func testImage(url string) []byte {
	w, h, c := 320, 180, color.RGBA{0x1e, 0x6f, 0xd9, 0xff}
	if strings.Contains(url, "icon") {
		w, h, c = 96, 96, color.RGBA{0x07, 0xc1, 0x60, 0xff}
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// TestPageMatrix opens a campaign link with a title and poster in every
// browser of the matrix and checks the path each one takes (static/src/
// route.js), saving a screenshot of every state to $SMSJUMP_ARTIFACTS/page.
func TestPageMatrix(t *testing.T) {
	b := startBrowser(t)
	const icon = "SMSJUMP_BRAND_ICON=https://h5.example.cn/icon.png"
	s := startSite(t, icon)
	cb := startSite(t, icon, "SMSJUMP_CLOUDBASE=true")
	ctx := context.Background()
	promo := link.Campaign{ID: "promo", Target: link.Target{Path: "pages/index/index", Query: "from=sms"}, Status: link.StatusActive,
		Page: link.Page{Title: "春季会员日", Poster: "https://h5.example.cn/poster.png"}}
	for _, st := range []*site{s, cb} {
		if err := st.links.PutCampaign(ctx, promo); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name, ua string
		mobile   bool
		site     *site
		env      string
		route    string
		state    string
	}{
		{"wechat-ios", uaIOSWeChat, true, s, "wechat", "urlLink", "urllink"},
		{"wechat-android", uaAndroidWeChat, true, s, "wechat", "urlLink", "urllink"},
		{"wechat-ios-cloudbase", uaIOSWeChat, true, cb, "wechat", "openTag", "wechat"},
		{"wechat-android-cloudbase", uaAndroidWeChat, true, cb, "wechat", "openTag", "wechat"},
		{"wecom", uaWeCom, true, s, "wecom", "urlLink", "urllink"},
		{"qq", uaQQ, true, s, "inapp", "guide", "guide"},
		{"weibo", uaWeibo, true, s, "inapp", "guide", "guide"},
		{"ios-safari", uaIPhoneSafari, true, s, "mobile", "scheme", "fallback"},
		{"android-chrome", uaAndroidChrome, true, s, "mobile", "scheme", "fallback"},
		{"huawei-browser", uaHuawei, true, s, "mobile", "scheme", "fallback"},
		{"xiaomi-browser", uaXiaomi, true, s, "mobile", "scheme", "fallback"},
		{"desktop-chrome", uaDesktopChrome, false, s, "desktop", "qr", "desktop"},
		{"windows-wechat", uaWindowsWeChat, false, s, "desktop", "qr", "desktop"},
		{"mac-wechat", uaMacWeChat, false, s, "desktop", "qr", "desktop"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := b.open(t, tc.ua, tc.mobile, tc.site.url+"/?c=promo&cq=m")
			waitState(t, tb, tc.state)
			got := eval[map[string]string](t, tb, `({env: document.body.dataset.env, route: document.body.dataset.route,
				heading: document.getElementById('heading').textContent, title: document.title,
				brand: document.getElementById('brand-name').textContent})`)
			if got["env"] != tc.env || got["route"] != tc.route {
				t.Errorf("env %q route %q, want %q %q", got["env"], got["route"], tc.env, tc.route)
			}
			if got["brand"] != "示例商城" {
				t.Errorf("brand %q", got["brand"])
			}
			if tc.route != "qr" && (got["heading"] != "春季会员日" || got["title"] != "春季会员日") {
				t.Errorf("heading %q title %q, want the campaign title", got["heading"], got["title"])
			}
			scheme1 := openLink(t, tc.site, false)
			urlLink := openLink(t, tc.site, true)
			switch tc.route {
			case "urlLink":
				waitFor(t, func() bool { return len(tb.urlLinkNavs()) > 0 })
				if navs := tb.urlLinkNavs(); len(navs) != 1 || navs[0] != urlLink {
					t.Errorf("URL Link navigations %q, want [%q]", navs, urlLink)
				}
			case "openTag":
				if n := eval[int](t, tb, `document.querySelectorAll('#wx-slot > wx-open-launch-weapp').length`); n != 1 {
					t.Errorf("%d open tags", n)
				}
			case "guide":
				tips := eval[string](t, tb, `document.getElementById('tips').textContent`)
				if !strings.Contains(tips, "在浏览器打开") {
					t.Errorf("guidance %q", tips)
				}
				waitFor(t, func() bool {
					return eval[string](t, tb, `document.getElementById('open-btn').getAttribute('href') || ''`) == scheme1
				})
				if href := eval[string](t, tb, `document.getElementById('open-btn').getAttribute('href') || ''`); href != scheme1 {
					t.Errorf("second-try button %q, want %q", href, scheme1)
				}
			case "scheme":
				if navs := tb.weixinNavs(); len(navs) != 1 || navs[0] != scheme1 {
					t.Errorf("weixin:// navigations %q, want [%q]", navs, scheme1)
				}
			case "qr":
				if n := eval[int](t, tb, `document.querySelectorAll('#qr path').length`); n == 0 {
					t.Error("no QR code")
				}
			}
			if tc.route != "scheme" {
				if navs := tb.weixinNavs(); len(navs) != 0 {
					t.Errorf("weixin:// navigations %q on route %s", navs, tc.route)
				}
			}
			if tc.route != "urlLink" && len(tb.urlLinkNavs()) != 0 {
				t.Errorf("URL Link navigations on route %s", tc.route)
			}
			if tc.route != "qr" {
				waitFor(t, func() bool {
					return eval[bool](t, tb, `document.getElementById('poster').complete && document.getElementById('poster').naturalWidth > 0`)
				})
			}
			b.screenshot(t, tb, "matrix-"+tc.name)
		})
	}

	// The open tag refused (WeChat rejects the config): the URL Link button.
	t.Run("wechat-cloudbase-tag-refused", func(t *testing.T) {
		tb, _ := b.open(t, uaIOSWeChat, true, cb.url+"/?c=promo&cq=m#refuse-config")
		waitState(t, tb, "fallback")
		got := eval[map[string]string](t, tb, `({reason: document.body.dataset.fallback, detail: document.getElementById('detail').textContent,
			href: document.getElementById('open-btn').hidden ? '' : document.getElementById('open-btn').getAttribute('href')})`)
		if got["reason"] != "wx_config" || got["detail"] != "config:invalid signature" || got["href"] != openLink(t, cb, true) {
			t.Errorf("fallback %v, want wx_config and the URL Link button", got)
		}
		b.screenshot(t, tb, "matrix-wechat-cloudbase-tag-refused")
	})

	// Closed links, in a phone browser, in WeChat and on the desktop.
	for _, tc := range []struct {
		name, ua, query string
		mobile          bool
		kind            string
		fallback        string // prefix of the fallback button's href; "" none
	}{
		{"ended-ios-safari", uaIPhoneSafari, "c=over", true, "ended", "weixin://dl/business/?t="},
		{"ended-wechat", uaAndroidWeChat, "c=over", true, "ended", "https://wxaurl.cn/"},
		{"not-started-android-chrome", uaAndroidChrome, "c=later", true, "not_started", "weixin://dl/business/?t="},
		{"forged-ios-wechat", uaIOSWeChat, "c=spring&k=ABCDEFGH", true, "invalid_link", "https://wxaurl.cn/"},
		{"ended-qq", uaQQ, "c=over", true, "ended", "weixin://dl/business/?t="},
		{"ended-desktop", uaDesktopChrome, "c=over", false, "ended", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tb, _ := b.open(t, tc.ua, tc.mobile, s.url+"/?"+tc.query)
			waitState(t, tb, "error")
			got := eval[map[string]string](t, tb, `({kind: document.body.dataset.errorKind, heading: document.getElementById('heading').textContent,
				msg: document.getElementById('msg').textContent,
				fallback: document.getElementById('fallback-btn').hidden ? '' : document.getElementById('fallback-btn').getAttribute('href'),
				qr: String(document.querySelectorAll('#qr path').length)})`)
			if got["kind"] != tc.kind || got["heading"] == "打开小程序" {
				t.Errorf("kind %q heading %q", got["kind"], got["heading"])
			}
			if (tc.fallback == "") != (got["fallback"] == "") || !strings.HasPrefix(got["fallback"], tc.fallback) {
				t.Errorf("fallback button %q, want %q…", got["fallback"], tc.fallback)
			}
			if tc.kind == "ended" && !strings.Contains(got["msg"], "结束") || tc.kind == "not_started" && !strings.Contains(got["msg"], "开始") {
				t.Errorf("#msg %q does not say when", got["msg"])
			}
			if got["qr"] != "0" {
				t.Error("a QR code for a closed link")
			}
			if len(tb.weixinNavs())+len(tb.urlLinkNavs()) != 0 {
				t.Errorf("a closed link navigated: %q %q", tb.weixinNavs(), tb.urlLinkNavs())
			}
			b.screenshot(t, tb, "matrix-"+tc.name)
		})
	}
}

// openLink is the link the handler gives for promo with cq=m, read from
// the cache the page's request filled.
func openLink(t *testing.T, s *site, urlLink bool) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := s.svc.Open(ctx, scheme.Request{Campaign: "promo", CQ: "m", URLLink: urlLink})
	if err != nil {
		t.Fatal(err)
	}
	return r.OpenLink
}

// TestPageServiceAccountSignature: built with SMSJUMP_JSSDK=true, the page
// inside WeChat asks …/jssdk for the 服务号's signature of its own URL (no
// fragment) and passes it to wx.config for the open tag.
func TestPageServiceAccountSignature(t *testing.T) {
	b := startBrowser(t)
	oa, err := wxapi.Start(wxapi.Options{AppID: "wxfedcba9876543210", Secret: "fedcba9876543210fedcba9876543210"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = oa.Close() })
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := startSiteWith(t, func(o *scheme.Options, origin string) {
		c := wechat.New(oa.URL(), "wxfedcba9876543210", "fedcba9876543210fedcba9876543210", nil)
		c.Logger = slog.New(slog.DiscardHandler)
		o.Signer = jssdk.New(c, st, 0, nil, c.Logger)
		o.AllowedOrigins = []string{origin}
	}, "SMSJUMP_JSSDK=true")
	pageURL := s.url + "/?c=spring&cq=oa"
	tb, _ := b.open(t, uaAndroidWeChat, true, pageURL+"#top")
	waitState(t, tb, "wechat")
	cfg := eval[map[string]any](t, tb, `window.__wxConfigs[0] || {}`)
	ts, _ := cfg["timestamp"].(float64)
	nonce, _ := cfg["nonceStr"].(string)
	want := wechat.JSAPISignature(oa.Ticket(), nonce, time.Unix(int64(ts), 0), pageURL)
	if cfg["appId"] != "wxfedcba9876543210" || cfg["signature"] != want {
		t.Errorf("wx.config %v, want the service account's signature %s of %s", cfg, want, pageURL)
	}
	if route := eval[string](t, tb, `document.body.dataset.route`); route != "openTag" {
		t.Errorf("route %q", route)
	}
	b.screenshot(t, tb, "matrix-wechat-service-account")
}
