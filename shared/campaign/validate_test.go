package campaign

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func ptr(s string) *string { return &s }

// validPersonal is testdata/manifest.example.json as a value.
func validPersonal() Manifest {
	return Manifest{
		CampaignID:   "spring2026",
		SDKAppID:     "1400123456",
		TemplateID:   "2345678",
		TemplateText: "{1}您好，春季会员日送您{2}元优惠券，点击 https://h5.example.cn/?c=spring2026&k={3} 领取，拒收请回复R",
		SignName:     "示例商城",
		Type:         Marketing,
		Params:       []Param{{Column: "姓名", Default: ptr("会员")}, {Const: ptr("20")}, {Link: true}},
		LinkBaseURL:  "https://h5.example.cn/",
		LinkMode:     LinkPersonal,
		Target:       Target{Path: "pages/coupon/index", Query: "from=sms", CQ: "uid={{uid}}", EnvVersion: "release"},
		QPS:          500,
		ParamMaxLen:  12,
	}
}

func validFixed() Manifest {
	return Manifest{
		CampaignID:   "poster",
		SDKAppID:     "1400123456",
		TemplateID:   "2345678",
		TemplateText: "尊敬的{1}，活动已开始：h5.example.cn/?c=poster",
		SignName:     "示例商城",
		Type:         Notification,
		Params:       []Param{{Column: "name"}},
		LinkBaseURL:  "https://h5.example.cn",
		LinkMode:     LinkFixed,
		Target:       Target{Path: "pages/index/index", Query: "from=sms"},
		QPS:          10,
		ParamMaxLen:  6,
	}
}

func TestValidateAcceptsValid(t *testing.T) {
	for name, m := range map[string]Manifest{"personal": validPersonal(), "fixed": validFixed()} {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateProblems(t *testing.T) {
	tests := []struct {
		name  string
		base  func() Manifest
		mut   func(*Manifest)
		path  string
		msgIn string
	}{
		{"missing template id", validPersonal, func(m *Manifest) { m.TemplateID = "" }, "template_id", "SMS_TEMPLATE_ID"},
		{"template id not numeric", validPersonal, func(m *Manifest) { m.TemplateID = "SMS_123" }, "template_id", "not a template ID"},
		{"missing sdk app id", validPersonal, func(m *Manifest) { m.SDKAppID = "" }, "sdk_app_id", "SMS_SDK_APP_ID"},
		{"missing sign", validPersonal, func(m *Manifest) { m.SignName = "" }, "sign_name", "SMS_SIGN_NAME"},
		{"sign with brackets", validPersonal, func(m *Manifest) { m.SignName = "【示例】" }, "sign_name", "without 【】"},
		{"missing template text", validPersonal, func(m *Manifest) { m.TemplateText = "" }, "template_text", "copy the approved template"},
		{"brackets in template", validPersonal, func(m *Manifest) { m.TemplateText = "【示例】" + m.TemplateText }, "template_text", "contains 【 or 】"},
		{"yen", validPersonal, func(m *Manifest) { m.TemplateText = strings.Replace(m.TemplateText, "元", "¥", 1) }, "template_text", "forbidden symbol(s) ¥"},
		{"full-width yen", validPersonal, func(m *Manifest) { m.TemplateText = strings.Replace(m.TemplateText, "元", "￥", 1) }, "template_text", "forbidden symbol(s) ￥"},
		{"star", validPersonal, func(m *Manifest) { m.TemplateText = "★" + m.TemplateText }, "template_text", "★"},
		{"pointing hand", validPersonal, func(m *Manifest) { m.TemplateText = "☞" + m.TemplateText }, "template_text", "☞"},
		{"check mark", validPersonal, func(m *Manifest) { m.TemplateText = "✓" + m.TemplateText }, "template_text", "✓"},
		{"reference mark", validPersonal, func(m *Manifest) { m.TemplateText = "※" + m.TemplateText }, "template_text", "※"},
		{"marketing without opt-out", validPersonal, func(m *Manifest) { m.TemplateText = strings.TrimSuffix(m.TemplateText, "拒收请回复R") }, "template_text", "must end with 拒收请回复R"},
		{"adjacent variables", validPersonal, func(m *Manifest) {
			m.TemplateText = strings.Replace(m.TemplateText, "送您{2}", "{2}", 1)
			m.TemplateText = strings.Replace(m.TemplateText, "您好，春季会员日", "", 1)
		}, "template_text", "{1}{2} are adjacent"},
		{"gap in numbering", validPersonal, func(m *Manifest) { m.TemplateText = strings.Replace(m.TemplateText, "{2}", "{4}", 1) }, "template_text", "{2} is missing"},
		{"repeated variable", validPersonal, func(m *Manifest) { m.TemplateText = strings.Replace(m.TemplateText, "{2}", "{1}", 1) }, "template_text", "{1} appears more than once"},
		{"too few params", validPersonal, func(m *Manifest) { m.Params = m.Params[:2] }, "params", "3 variable(s) but params has 2"},
		{"too many params", validFixed, func(m *Manifest) { m.Params = append(m.Params, Param{Const: ptr("x")}) }, "params", "1 variable(s) but params has 2"},
		{"param with two sources", validFixed, func(m *Manifest) { m.Params[0].Const = ptr("x") }, "params[0]", "exactly one"},
		{"param with no source", validFixed, func(m *Manifest) { m.Params[0] = Param{} }, "params[0]", "exactly one"},
		{"default on const", validPersonal, func(m *Manifest) { m.Params[1].Default = ptr("x") }, "params[1].default", "only applies to a column"},
		{"const with url", validPersonal, func(m *Manifest) { m.Params[1].Const = ptr("t.cn/x") }, "params[1].const", "contains a link"},
		{"const too long", validPersonal, func(m *Manifest) { m.Params[1].Const = ptr("一二三四五六七八九十一二三") }, "params[1].const", "13 characters, longer than param_max_len 12"},
		{"const forbidden", validPersonal, func(m *Manifest) { m.Params[1].Const = ptr("★20") }, "params[1].const", "forbidden"},
		{"const empty", validPersonal, func(m *Manifest) { m.Params[1].Const = ptr("") }, "params[1].const", "is empty"},
		{"default too long", validPersonal, func(m *Manifest) { m.Params[0].Default = ptr("尊敬的会员尊敬的会员尊敬的会员") }, "params[0].default", "longer than"},
		{"personal without link param", validPersonal, func(m *Manifest) { m.Params[2] = Param{Const: ptr("x")} }, "params", `exactly one {"link":true}`},
		{"link param in fixed mode", validFixed, func(m *Manifest) { m.Params[0] = Param{Link: true} }, "params", "needs link_mode personal"},
		{"foreign link", validPersonal, func(m *Manifest) {
			m.TemplateText = strings.Replace(m.TemplateText, "领取", "或 www.other.cn 领取", 1)
		}, "template_text", "www.other.cn is not on link_base_url"},
		{"look-alike host", validFixed, func(m *Manifest) {
			m.TemplateText = strings.Replace(m.TemplateText, "h5.example.cn", "h5.example.cn.evil.com", 1)
		}, "template_text", "is not on link_base_url"},
		{"no link", validFixed, func(m *Manifest) { m.TemplateText = "尊敬的{1}，活动已开始" }, "template_text", "has no link"},
		{"link without campaign", validFixed, func(m *Manifest) { m.TemplateText = strings.Replace(m.TemplateText, "c=poster", "c=other", 1) }, "template_text", "must carry c=poster"},
		{"personal link without k", validPersonal, func(m *Manifest) {
			m.TemplateText = strings.Replace(m.TemplateText, "&k={3}", "", 1)
			m.TemplateText += "{3}"
		}, "template_text", "&k={3}"},
		{"variable in fixed link", validFixed, func(m *Manifest) { m.TemplateText = "活动：h5.example.cn/?c=poster&u={1} 见" }, "template_text", "needs link_mode personal"},
		{"template over 500", validFixed, func(m *Manifest) { m.TemplateText = strings.Repeat("长", 480) + m.TemplateText }, "template_text", "the limit is 500"},
		{"bad type", validFixed, func(m *Manifest) { m.Type = "promo" }, "sms_type", "not marketing or notification"},
		{"bad mode", validFixed, func(m *Manifest) { m.LinkMode = "dynamic" }, "link_mode", "not fixed or personal"},
		{"bad campaign id", validFixed, func(m *Manifest) { m.CampaignID = "Poster!" }, "campaign_id", "a-z, 0-9"},
		{"campaign id too long", validFixed, func(m *Manifest) { m.CampaignID = strings.Repeat("a", 33) }, "campaign_id", "1–32"},
		{"missing campaign id", validFixed, func(m *Manifest) { m.CampaignID = "" }, "campaign_id", "missing"},
		{"missing link base", validFixed, func(m *Manifest) { m.LinkBaseURL = "" }, "link_base_url", "LINK_BASE_URL"},
		{"link base not a url", validFixed, func(m *Manifest) { m.LinkBaseURL = "h5.example.cn" }, "link_base_url", "http(s) URL"},
		{"link base with query", validFixed, func(m *Manifest) { m.LinkBaseURL = "https://h5.example.cn/?a=1" }, "link_base_url", "without query"},
		{"path with slash", validFixed, func(m *Manifest) { m.Target.Path = "/pages/index/index" }, "target.path", "must not start with /"},
		{"path with query", validFixed, func(m *Manifest) { m.Target.Path = "pages/index/index?a=1" }, "target.path", "target.query"},
		{"per-row query, personal", validPersonal, func(m *Manifest) { m.Target.Query = "from=sms&uid={{uid}}" },
			"target.query", `one WeChat generation per tap against the 500 000 a day shared by all links; keep target.query the same for everyone ("from=sms") and move per-recipient values to target.cq ("uid={{uid}}")`},
		{"per-row query, fixed", validFixed, func(m *Manifest) { m.Target.Query = "uid={{uid}}" }, "target.query", "move per-recipient values to target.cq"},
		{"unclosed placeholder", validPersonal, func(m *Manifest) { m.Target.Query = "uid={{uid" }, "target.query", "{{ without }}"},
		{"long page title", validPersonal, func(m *Manifest) { m.Page.Title = strings.Repeat("春", 33) }, "page.title", "at most 32"},
		{"http poster", validPersonal, func(m *Manifest) { m.Page.Poster = "http://h5.example.cn/p.jpg" }, "page.poster", "https://"},
		{"fallback with query in path", validPersonal, func(m *Manifest) { m.Page.Fallback = &PageFallback{Path: "pages/index/index?x=1"} }, "page.fallback.path", "without a leading / or a query"},
		{"per-row fallback query", validPersonal, func(m *Manifest) { m.Page.Fallback = &PageFallback{Path: "pages/index/index", Query: "u={{uid}}"} }, "page.fallback.query", "same for everyone"},
		{"cq in fixed mode", validFixed, func(m *Manifest) { m.Target.CQ = "uid={{uid}}" }, "target.cq", "needs link_mode personal"},
		{"unclosed cq placeholder", validPersonal, func(m *Manifest) { m.Target.CQ = "uid={{uid" }, "target.cq", "{{ without }}"},
		{"cq too long", validPersonal, func(m *Manifest) { m.Target.CQ = "a=" + strings.Repeat("x", 239) }, "target.cq", "WeChat's cq allows 240"},
		{"bad escape", validPersonal, func(m *Manifest) { m.Target.Query = "a=%zz" }, "target.query", "not a valid query"},
		{"query too long", validFixed, func(m *Manifest) { m.Target.Query = "a=" + strings.Repeat("x", MaxQueryLen) }, "target.query", "at most 1024"},
		{"env version", validFixed, func(m *Manifest) { m.Target.EnvVersion = "beta" }, "target.env_version", "release, trial or develop"},
		{"window end before start", validFixed, func(m *Manifest) {
			m.Validity = Window{Start: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		}, "validity.end", "after validity.start"},
		{"send window malformed", validFixed, func(m *Manifest) { m.SendWindow = DailyWindow{Start: "9:00", End: "21:00"} }, "send_window", "not HH:MM"},
		{"send window reversed", validFixed, func(m *Manifest) { m.SendWindow = DailyWindow{Start: "21:00", End: "09:00"} }, "send_window", "not after start"},
		{"send window half set", validFixed, func(m *Manifest) { m.SendWindow = DailyWindow{Start: "09:00"} }, "send_window", "end"},
		{"marketing outside hours", validPersonal, func(m *Manifest) { m.SendWindow = DailyWindow{Start: "07:30", End: "12:00"} }, "send_window", "08:00–22:00"},
		{"qps", validFixed, func(m *Manifest) { m.QPS = 0 }, "qps", "at least 1"},
		{"param max len", validFixed, func(m *Manifest) { m.ParamMaxLen = -1 }, "param_max_len", "between 1 and 500"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.base()
			tc.mut(&m)
			err := m.Validate()
			if !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("Validate = %v, want ErrInvalidManifest", err)
			}
			var me *ManifestError
			if !errors.As(err, &me) {
				t.Fatalf("%T is not *ManifestError", err)
			}
			for _, p := range me.Problems {
				if p.Path == tc.path && strings.Contains(p.Message, tc.msgIn) {
					return
				}
			}
			t.Fatalf("no problem %s: …%s… in\n%v", tc.path, tc.msgIn, err)
		})
	}
}

// One error lists every problem, so the operator fixes the file in one go.
func TestValidateListsEveryProblem(t *testing.T) {
	m := validFixed()
	m.TemplateID = ""
	m.SignName = ""
	m.QPS = 0
	m.Target.EnvVersion = "x"
	err := m.Validate()
	var me *ManifestError
	if !errors.As(err, &me) || len(me.Problems) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "campaign manifest: 4 problems:\n  - template_id: ") {
		t.Fatalf("message layout: %q", err)
	}
}

func TestDailyWindow(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, beijing) }
	tests := []struct {
		w        DailyWindow
		t        time.Time
		contains bool
		next     time.Time
	}{
		{MarketingHours, at(8, 0), true, at(8, 0)},
		{MarketingHours, at(21, 59), true, at(21, 59)},
		{MarketingHours, at(22, 0), false, at(8, 0).AddDate(0, 0, 1)},
		{MarketingHours, at(7, 59), false, at(8, 0)},
		// 23:30 UTC is 07:30 the next day in Beijing.
		{MarketingHours, time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC), false, at(8, 0)},
		{DailyWindow{Start: "00:00", End: "24:00"}, at(23, 59), true, at(23, 59)},
		{DailyWindow{}, at(3, 0), true, at(3, 0)},
	}
	for _, tc := range tests {
		if got := tc.w.Contains(tc.t); got != tc.contains {
			t.Errorf("%v.Contains(%v) = %v", tc.w, tc.t, got)
		}
		if got := tc.w.Next(tc.t); !got.Equal(tc.next) {
			t.Errorf("%v.Next(%v) = %v, want %v", tc.w, tc.t, got, tc.next)
		}
	}
	if (DailyWindow{Start: "25:00", End: "26:00"}).Contains(at(12, 0)) {
		t.Error("an invalid window contains a time")
	}
}

func TestEffectiveSendWindow(t *testing.T) {
	m := validFixed()
	if !m.EffectiveSendWindow().IsZero() {
		t.Error("notification without window should allow any time")
	}
	m.Type = Marketing
	if m.EffectiveSendWindow() != MarketingHours {
		t.Error("marketing defaults to 08:00–22:00")
	}
	m.SendWindow = DailyWindow{Start: "10:00", End: "20:00"}
	if m.EffectiveSendWindow() != m.SendWindow {
		t.Error("manifest window ignored")
	}
}

func TestValidityWindow(t *testing.T) {
	w := Window{Start: time.Date(2026, 3, 1, 0, 0, 0, 0, beijing)}
	if w.Contains(w.Start.Add(-time.Second)) || !w.Contains(w.Start) || !w.Contains(w.Start.AddDate(5, 0, 0)) {
		t.Error("open-ended window wrong")
	}
	w.End = w.Start.Add(time.Hour)
	if w.Contains(w.End) {
		t.Error("end is exclusive")
	}
}

func TestTargetPathRequiredAndDefaulted(t *testing.T) {
	m := validFixed()
	m.Target.Path = ""
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "target.path: missing") {
		t.Fatalf("empty path: %v", err)
	}
	d := DefaultManifest(Defaults{TargetPath: "pages/home/index"})
	if d.Target.Path != "pages/home/index" {
		t.Fatalf("TargetPath default not applied: %+v", d.Target)
	}
}
