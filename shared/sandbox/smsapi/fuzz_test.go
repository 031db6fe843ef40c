package smsapi

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseAuthorization(f *testing.F) {
	f.Add("TC3-HMAC-SHA256 Credential=AKIDx/2026-03-02/sms/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("ab", 32))
	f.Add("TC3-HMAC-SHA256 Credential=/a/b/c, SignedHeaders=, Signature=zz")
	f.Add("Bearer x")
	f.Fuzz(func(t *testing.T, h string) {
		a, ok := parseAuthorization(h)
		if !ok {
			return
		}
		if a.secretID == "" || a.signedHeaders == "" || strings.Contains(a.secretID, "/") {
			t.Fatalf("accepted %q as %+v", h, a)
		}
	})
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"+8613800138000", "13800138000", "+85291234567", "+8612", "+", "", "+1", "+86１３８００１３８０００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := parsePhone(s)
		if !p.valid {
			return
		}
		if keyString(p.key) != p.e164 {
			t.Fatalf("%q: key %d does not round-trip to %q", s, p.key, p.e164)
		}
		if p.mainland != strings.HasPrefix(p.e164, "+86") || p.iso == "" {
			t.Fatalf("%q: %+v", s, p)
		}
	})
}

func FuzzDecodeSendSms(f *testing.F) {
	f.Add(`{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400000001","TemplateId":"1","TemplateParamSet":["a"]}`)
	f.Add(`{"Foo":1}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		in, e := decodeSendSms([]byte(body))
		if (in == nil) == (e == nil) {
			t.Fatalf("decodeSendSms(%q) = %v, %v", body, in, e)
		}
	})
}

// A template renders to as many characters as it is billed for.
func FuzzTemplate(f *testing.F) {
	f.Add("您好{1}，订单{2}已发货", "张三", "A1")
	f.Add("{1}{1}{", "", "x")
	f.Add("{0}{99999}{12}", "a", "b")
	f.Fuzz(func(t *testing.T, text, p1, p2 string) {
		if !utf8.ValidString(text + p1 + p2) {
			return
		}
		c, err := compileTemplate("t", Template{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		params := []string{p1, p2}
		if got, want := c.bodyRunes(params), utf8.RuneCountInString(c.render("", params)); got != want {
			t.Fatalf("%q: bodyRunes %d, rendered %d", text, got, want)
		}
	})
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "send success", "a\"b\\c\n\t\x00\x1f", "【签名】\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil || got != s {
			t.Fatalf("%q: round trip %q, %v", s, got, err)
		}
	})
}
