package smsapi

import (
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

const hkMobile = "+85291234567"

func TestSendSmsRequestRules(t *testing.T) {
	long := strings.Repeat("长", 480)
	cases := []struct {
		name  string
		opts  func(*Options)
		at    time.Time // Beijing time of the call; zero means noon
		build func() *smsv.SendSmsRequest
		want  string
	}{
		{name: "accepted", build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}, mobiles(2, 0)...) }},
		{name: "unknown app", want: CodeSdkAppIDNotExist, build: func() *smsv.SendSmsRequest {
			r := newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...)
			r.SmsSdkAppId = common.StringPtr("1400999999")
			return r
		}},
		{name: "missing app", want: CodeMissingParameter, build: func() *smsv.SendSmsRequest {
			r := newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...)
			r.SmsSdkAppId = nil
			return r
		}},
		{name: "unapproved template", want: CodeTemplateUnapproved, build: func() *smsv.SendSmsRequest { return newRequest("9999", []string{"张三"}, mobiles(1, 0)...) }},
		{name: "unapproved signature", want: CodeSignatureUnapproved, build: func() *smsv.SendSmsRequest {
			r := newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...)
			r.SignName = common.StringPtr("别人的签名")
			return r
		}},
		{name: "mainland without signature", want: CodeSignatureUnapproved, build: func() *smsv.SendSmsRequest {
			r := newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...)
			r.SignName = nil
			return r
		}},
		{name: "too few parameters", want: CodeParamSetNotMatch, build: func() *smsv.SendSmsRequest { return newRequest(tplTwo, []string{"张三"}, mobiles(1, 0)...) }},
		{name: "too many parameters", want: CodeParamSetNotMatch, build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三", "x"}, mobiles(1, 0)...) }},
		{name: "no parameters for a template without any", build: func() *smsv.SendSmsRequest { return newRequest(tplNoParam, nil, mobiles(1, 0)...) }},
		{name: "empty phone set", want: CodeEmptyPhoneNumberSet, build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}) }},
		{name: "200 phones", build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}, mobiles(200, 0)...) }},
		{name: "201 phones", want: CodePhoneNumberCountLimit, build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}, mobiles(201, 0)...) }},
		{name: "mainland and global mixed", want: CodeMixedPhoneNumbers, build: func() *smsv.SendSmsRequest {
			return newRequest(tplNotice, []string{"张三"}, "+8613800000001", hkMobile)
		}},
		{name: "mainland template to global number", want: CodeMainlandTemplateToGlobal, build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}, hkMobile) }},
		{name: "global template to mainland number", want: CodeGlobalTemplateToMainland, build: func() *smsv.SendSmsRequest { return newRequest(tplGlobal, []string{"1234"}, mobiles(1, 0)...) }},
		{name: "global template to global number", build: func() *smsv.SendSmsRequest { return newRequest(tplGlobal, []string{"1234"}, hkMobile) }},
		{name: "URL in a parameter", want: CodeURLInTemplateParameter, build: func() *smsv.SendSmsRequest {
			return newRequest(tplNotice, []string{"https://h5.example.cn/?c=spring&k=abc"}, mobiles(1, 0)...)
		}},
		{name: "bare domain in a parameter", want: CodeURLInTemplateParameter, build: func() *smsv.SendSmsRequest {
			return newRequest(tplNotice, []string{"h5.example.cn/x"}, mobiles(1, 0)...)
		}},
		{name: "parameter over the account limit", want: CodeTemplateParameterLength, opts: func(o *Options) { o.MaxParamLen = 6 },
			build: func() *smsv.SendSmsRequest {
				return newRequest(tplNotice, []string{"七个字的参数啊"}, mobiles(1, 0)...)
			}},
		{name: "parameter at the account limit", opts: func(o *Options) { o.MaxParamLen = 6 },
			build: func() *smsv.SendSmsRequest {
				return newRequest(tplNotice, []string{"六个字的参数"}, mobiles(1, 0)...)
			}},
		{name: "content over 500 characters", want: CodeContentLengthLimit, build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{long}, mobiles(1, 0)...) }},
		{name: "session context over 512 bytes", want: CodeInvalidParameterValue, build: func() *smsv.SendSmsRequest {
			r := newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...)
			r.SessionContext = common.StringPtr(strings.Repeat("s", 513))
			return r
		}},
		{name: "marketing at 07:59", at: beijingTime(7, 59), want: CodeMarketingSendTime, build: marketing},
		{name: "marketing at 08:00", at: beijingTime(8, 0), build: marketing},
		{name: "marketing at 21:59", at: beijingTime(21, 59), build: marketing},
		{name: "marketing at 22:00", at: beijingTime(22, 0), want: CodeMarketingSendTime, build: marketing},
		{name: "marketing at 03:00 UTC is 11:00 Beijing", at: time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC), build: marketing},
		{name: "notification at 23:30", at: beijingTime(23, 30), build: func() *smsv.SendSmsRequest { return newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := c.at
			if at.IsZero() {
				at = beijingTime(12, 0)
			}
			s := startServer(t, func(o *Options) {
				o.Now = func() time.Time { return at }
				if c.opts != nil {
					c.opts(o)
				}
			})
			resp, code := send(t, sdkClient(t, s.URL(), testID, testKey, ""), c.build())
			if code != c.want {
				t.Fatalf("code %q, want %q", code, c.want)
			}
			if c.want != "" {
				if s.Count() != 0 {
					t.Errorf("a rejected request delivered %d messages", s.Count())
				}
				return
			}
			for i, st := range resp.SendStatusSet {
				if *st.Code != CodeOK {
					t.Errorf("number %d: %s", i, *st.Code)
				}
			}
		})
	}
}

func marketing() *smsv.SendSmsRequest {
	return newRequest(tplMarket, []string{"亲爱的会员"}, mobiles(1, 0)...)
}

func TestSendSmsReply(t *testing.T) {
	s := startServer(t, nil)
	c := sdkClient(t, s.URL(), testID, testKey, "")
	r := newRequest(tplNotice, []string{"张三"}, mobiles(3, 0)...)
	r.SessionContext = common.StringPtr("job=spring;batch=7")
	resp, code := send(t, c, r)
	if code != "" {
		t.Fatal(code)
	}
	if resp.RequestId == nil || *resp.RequestId == "" {
		t.Error("no RequestId")
	}
	serials := map[string]bool{}
	for i, st := range resp.SendStatusSet {
		want := mobiles(3, 0)[i]
		switch {
		case *st.PhoneNumber != want:
			t.Errorf("status %d is for %s, want %s (request order)", i, *st.PhoneNumber, want)
		case *st.Code != "Ok" || *st.Message != "send success":
			t.Errorf("status %d: %s %s", i, *st.Code, *st.Message)
		case *st.IsoCode != "CN":
			t.Errorf("status %d: IsoCode %s", i, *st.IsoCode)
		case *st.SessionContext != "job=spring;batch=7":
			t.Errorf("status %d: SessionContext %q", i, *st.SessionContext)
		case *st.Fee != 1:
			t.Errorf("status %d: Fee %d", i, *st.Fee)
		case *st.SerialNo == "" || serials[*st.SerialNo]:
			t.Errorf("status %d: SerialNo %q empty or repeated", i, *st.SerialNo)
		}
		serials[*st.SerialNo] = true
	}
}

// Fees through the API: tplTwo renders to 【小程序助手】 (7) + 11 literal
// characters + the two parameters.
func TestSendSmsFee(t *testing.T) {
	s := startServer(t, func(o *Options) { o.SameContentInterval = -1; o.DailyLimit = -1 })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	for _, tc := range []struct {
		total, fee int
	}{{19, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}, {500, 8}} {
		p1 := strings.Repeat("字", tc.total-18-1)
		resp, code := send(t, c, newRequest(tplTwo, []string{p1, "A"}, mobiles(1, tc.total)...))
		if code != "" {
			t.Fatalf("%d characters: %s", tc.total, code)
		}
		if got := *resp.SendStatusSet[0].Fee; int(got) != tc.fee {
			t.Errorf("%d characters: Fee %d, want %d", tc.total, got, tc.fee)
		}
	}
	// Global, GSM alphabet: "Your code is " is 13 characters.
	for _, tc := range []struct{ total, fee int }{{160, 1}, {161, 2}, {306, 2}, {307, 3}} {
		resp, code := send(t, c, newRequest(tplGlobal, []string{strings.Repeat("9", tc.total-13)}, hkMobile))
		if code != "" {
			t.Fatalf("global %d: %s", tc.total, code)
		}
		st := resp.SendStatusSet[0]
		if int(*st.Fee) != tc.fee || *st.IsoCode != "HK" {
			t.Errorf("global %d characters: Fee %d IsoCode %s, want %d HK", tc.total, *st.Fee, *st.IsoCode, tc.fee)
		}
	}
}

func TestPerNumberRules(t *testing.T) {
	clock := newFakeClock(beijingTime(12, 0))
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.DailyLimit = 3 })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	a, b := []string{"张三"}, []string{"李四"}
	p := mobiles(3, 100)
	steps := []struct {
		name    string
		advance time.Duration
		params  []string
		phones  []string
		want    []string
	}{
		{"invalid numbers in a batch", 0, a, []string{p[0], "+8612345", "+8610000000000", "13800000009"},
			[]string{CodeOK, CodeIncorrectPhoneNumber, CodeIncorrectPhoneNumber, CodeOK}},
		{"same content again at once", 0, a, p[:1], []string{CodeThirtySecondLimit}},
		{"same number twice in one request", 0, a, []string{p[1], p[1]}, []string{CodeOK, CodeThirtySecondLimit}},
		{"other content at once", 0, b, p[:1], []string{CodeOK}},
		{"same content after 29.9 s", 29900 * time.Millisecond, b, p[:1], []string{CodeThirtySecondLimit}},
		{"same content after 30 s", 100 * time.Millisecond, b, p[:1], []string{CodeOK}},
		{"fourth message of the day", time.Minute, a, p[:1], []string{CodeDailyLimit}},
		{"others unaffected", 0, a, p[2:3], []string{CodeOK}},
		// 12:01:30 + 11 h 59 min = 00:00:30 Beijing: a new day there, still
		// the same UTC day (16:00:30Z).
		{"next Beijing day", 11*time.Hour + 59*time.Minute, a, p[:1], []string{CodeOK}},
	}
	for _, st := range steps {
		clock.Advance(st.advance)
		resp, code := send(t, c, newRequest(tplNotice, st.params, st.phones...))
		if code != "" {
			t.Fatalf("%s: request error %s", st.name, code)
		}
		if got := codes(resp); strings.Join(got, ",") != strings.Join(st.want, ",") {
			t.Errorf("%s: codes %v, want %v", st.name, got, st.want)
		}
	}
	if now := clock.Now(); now.UTC().Day() != 2 || now.In(beijing).Day() != 3 {
		t.Fatalf("the day-boundary step is meant to cross midnight in Beijing only, clock is %v", now)
	}
	if got := s.CountFor(p[0]); got != 4 {
		t.Errorf("CountFor = %d, want 4", got)
	}
	if got := s.CountFor("+8613800000009"); got != 1 {
		t.Errorf("a number sent without +86 counts under its E.164 form: %d", got)
	}
}

func TestLimitsDisabled(t *testing.T) {
	s := startServer(t, func(o *Options) { o.SameContentInterval = -1; o.DailyLimit = -1; o.KeepMessages = false })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	for i := range 30 {
		resp, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...))
		if code != "" || *resp.SendStatusSet[0].Code != CodeOK {
			t.Fatalf("send %d: %s %v", i, code, codes(resp))
		}
	}
	if got := s.CountFor(mobiles(1, 0)[0]); got != 30 {
		t.Fatalf("CountFor = %d, want 30", got)
	}
}

func TestAccountQPS(t *testing.T) {
	clock := newFakeClock(beijingTime(12, 0))
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.QPS = 2 })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	want := []string{"", "", CodeRequestLimitExceeded}
	for i, w := range want {
		if _, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, i)...)); code != w {
			t.Fatalf("request %d: %q, want %q", i, code, w)
		}
	}
	clock.Advance(time.Second)
	if _, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 10)...)); code != "" {
		t.Fatalf("next second: %s", code)
	}
	if got := s.Stats().RequestErrors[CodeRequestLimitExceeded]; got != 1 {
		t.Errorf("Stats counts %d rate-limited requests, want 1", got)
	}
}
