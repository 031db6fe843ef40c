package funnel_test

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/store"
)

const (
	uaIPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaAndroid = "Mozilla/5.0 (Linux; Android 14; 23013RK75C) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
	uaWeChat  = "Mozilla/5.0 (Linux; Android 14; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
	uaWeCom   = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.16 MicroMessenger/7.0.1 Language/zh ColorScheme/Light"
	uaQQ      = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 QQ/9.0.0.611 V1_IPH_SQ_9.0.0_1_APP_A Pixel/1170 SimpleUISwitch/0 QQTheme/1000 StudyMode/0 CurrentMode/0 CurrentFontScale/1.000000 QQ/9.0.0 NetType/WIFI WebP/0.4.1 AppId/537190826 Core/WKWebView"
	uaDesktop = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	uaMac     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		ua   string
		want funnel.Platform
	}{
		{uaIPhone, funnel.IOS}, {uaAndroid, funnel.Android}, {uaWeChat, funnel.WeChat},
		{uaWeCom, funnel.InApp}, {uaQQ, funnel.InApp}, {uaDesktop, funnel.Desktop}, {uaMac, funnel.Desktop},
		{"", funnel.Other}, {"curl/8.5.0", funnel.Other},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(DingTalk/7.0.40) com.laiwang.DingTalk/31089290 Channel/201200 language/zh-Hans-CN", funnel.InApp},
		{"Mozilla/5.0 (Linux; Android 13; V2241A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0 Mobile Safari/537.36 aweme_280500 JsSdk/1.0 NetType/WIFI Channel/vivo_1128_64 AppName/aweme", funnel.InApp},
		{"Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile", funnel.Android},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 NetType/WIFI MicroMessenger/7.0.20.1781(0x6700143B) WindowsWechat(0x63090a13)", funnel.WeChat},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", funnel.Desktop},
	} {
		if got := funnel.Classify(tc.ua); got != tc.want {
			t.Errorf("Classify(%.40q…) = %s, want %s", tc.ua, got, tc.want)
		}
	}
}

func memStore(t *testing.T) store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestRecordAndRead(t *testing.T) {
	st := memStore(t)
	rec, err := funnel.NewRecorder(st)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	at := time.Date(2026, 11, 28, 4, 30, 0, 0, time.UTC) // 12:30 Beijing
	hits := []funnel.Hit{
		{Campaign: "spring", Event: funnel.Opened, Platform: funnel.IOS, At: at},
		{Campaign: "spring", Event: funnel.Opened, Platform: funnel.IOS, At: at.Add(time.Hour)},
		{Campaign: "spring", Code: "AB3DE9FG", Event: funnel.Opened, Platform: funnel.Android, At: at},
		{Campaign: "spring", Code: "AB3DE9FG", Event: funnel.Jump, Platform: funnel.Android, At: at},
		{Campaign: "spring", Event: funnel.Launch, Platform: "nonsense", At: at},
		{Campaign: "other", Event: funnel.Opened, Platform: funnel.IOS, At: at},
	}
	for _, h := range hits {
		if err := rec.Record(ctx, h); err != nil {
			t.Fatalf("Record(%+v): %v", h, err)
		}
	}
	for _, bad := range []funnel.Hit{
		{Campaign: "spring", Event: "hacked", At: at},
		{Campaign: "Spring!", Event: funnel.Jump, At: at},
		{Campaign: "spring", Code: "short", Event: funnel.Jump, At: at},
	} {
		if err := rec.Record(ctx, bad); err == nil {
			t.Errorf("Record(%+v) accepted", bad)
		}
	}
	s, err := funnel.Read(ctx, st, "spring")
	if err != nil {
		t.Fatal(err)
	}
	if want := (funnel.Counts{funnel.Opened: 3, funnel.Jump: 1, funnel.Launch: 1}); !maps.Equal(s.Totals, want) {
		t.Errorf("Totals = %v, want %v", s.Totals, want)
	}
	if got := s.Totals.Jumped(); got != 2 {
		t.Errorf("Jumped = %d, want 2 (jump + launch)", got)
	}
	if got := s.ByPlatform[funnel.Other][funnel.Launch]; got != 1 {
		t.Errorf("unknown platform counted under other: %d, want 1", got)
	}
	noon := time.Date(2026, 11, 28, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if got := s.ByHour[noon.Unix()][funnel.Opened]; got != 2 {
		t.Errorf("opens at 12:00 Beijing = %d, want 2 (hours: %v)", got, s.ByHour)
	}
	if want := (funnel.Counts{funnel.Opened: 1, funnel.Jump: 1}); !maps.Equal(s.ByCode["AB3DE9FG"], want) {
		t.Errorf("ByCode = %v, want AB3DE9FG: %v", s.ByCode, want)
	}
}

func TestAggregateSkipsMalformed(t *testing.T) {
	s := funnel.Aggregate("c", map[string]int64{
		"opened.ios.2026112812":      2,
		"opened.ios":                 5,
		"warp.ios.2026112812":        5,
		"opened.ios.notanhour":       5,
		"opened.ios.2026112812.A.B.": 5,
	})
	if s.Totals[funnel.Opened] != 2 || s.Malformed != 4 {
		t.Fatalf("Totals %v, Malformed %d; want opened 2, 4 malformed", s.Totals, s.Malformed)
	}
}

func beacon(t *testing.T, h http.Handler, method, target, origin, ua, ip string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(""))
	r.Host = "h5.example.cn"
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	r.Header.Set("User-Agent", ua)
	r.RemoteAddr = ip + ":5555"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestBeaconHandler(t *testing.T) {
	st := memStore(t)
	rec, _ := funnel.NewRecorder(st)
	h := funnel.NewHandler(rec, funnel.HandlerOptions{AllowedOrigins: []string{"https://h5.other.cn"}, PerMinute: 5})
	cases := []struct {
		name, method, target, origin, ip string
		status                           int
		kind                             string
	}{
		{"jump", "POST", "/beacon?c=spring&e=jump", "https://h5.example.cn", "10.0.0.1", 204, ""},
		{"allowed origin", "POST", "/beacon?c=spring&k=AB3DE9FG&e=button", "https://h5.other.cn", "10.0.0.1", 204, ""},
		{"no origin (mini-program)", "POST", "/arrive?c=spring&k=AB3DE9FG", "", "10.0.0.2", 204, ""},
		{"arrive ignores e", "POST", "/arrive?c=spring&e=jump", "", "10.0.0.2", 204, ""},
		{"arrive with the cq's row", "POST", "/arrive?c=spring&r=12", "", "10.0.0.2", 204, ""},
		{"arrive with a bad row", "POST", "/arrive?c=spring&r=12x", "", "10.0.0.2", 400, "bad_request"},
		{"opened is not a page event", "POST", "/beacon?c=spring&e=opened", "", "10.0.0.3", 400, "bad_request"},
		{"unknown event", "POST", "/beacon?c=spring&e=exploit", "", "10.0.0.3", 400, "bad_request"},
		{"bad campaign", "POST", "/beacon?c=../x&e=jump", "", "10.0.0.3", 400, "bad_request"},
		{"bad code", "POST", "/beacon?c=spring&k=0O&e=jump", "", "10.0.0.3", 400, "bad_request"},
		{"GET", "GET", "/beacon?c=spring&e=jump", "", "10.0.0.3", 405, "method_not_allowed"},
		{"foreign origin", "POST", "/beacon?c=spring&e=jump", "https://evil.example", "10.0.0.3", 403, "forbidden_origin"},
	}
	for _, tc := range cases {
		w := beacon(t, h, tc.method, tc.target, tc.origin, uaIPhone, tc.ip)
		if w.Code != tc.status || (tc.kind != "" && !strings.Contains(w.Body.String(), `"error":"`+tc.kind+`"`)) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, w.Body, tc.status, tc.kind)
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: no Cache-Control: no-store", tc.name)
		}
	}
	s, err := funnel.Read(t.Context(), st, "spring")
	if err != nil {
		t.Fatal(err)
	}
	if want := (funnel.Counts{funnel.Jump: 1, funnel.Button: 1, funnel.Arrived: 3}); !maps.Equal(s.Totals, want) {
		t.Errorf("Totals = %v, want %v", s.Totals, want)
	}
	if s.ByCode[funnel.RowPrefix+"12"][funnel.Arrived] != 1 {
		t.Errorf("arrival of row 12 not kept: %v", s.ByCode)
	}
	// The sixth beacon of one client within a minute is refused and not counted.
	for i := range 6 {
		w := beacon(t, h, "POST", "/beacon?c=flood&e=jump", "", uaIPhone, "10.9.9.9")
		if want := map[bool]int{true: 204, false: 429}[i < 5]; w.Code != want {
			t.Fatalf("beacon %d: %d, want %d", i+1, w.Code, want)
		}
	}
	if s, _ := funnel.Read(t.Context(), st, "flood"); s.Totals[funnel.Jump] != 5 {
		t.Fatalf("flood counted %d, want 5", s.Totals[funnel.Jump])
	}
}

// failingCounter refuses every write, as a store that is down.
type failingCounter struct{ store.Store }

func (failingCounter) Incr(context.Context, string, string, int64, time.Duration) error {
	return store.ErrUnavailable
}
func (failingCounter) Counts(context.Context, string) (map[string]int64, error) { return nil, nil }

func TestBeaconStoreDown(t *testing.T) {
	rec, _ := funnel.NewRecorder(failingCounter{memStore(t)})
	w := beacon(t, funnel.NewHandler(rec, funnel.HandlerOptions{}), "POST", "/beacon?c=spring&e=jump", "", uaIPhone, "10.0.0.1")
	if w.Code != 503 || !strings.Contains(w.Body.String(), `"error":"unavailable"`) {
		t.Fatalf("store down: %d %s, want 503 unavailable", w.Code, w.Body)
	}
}
