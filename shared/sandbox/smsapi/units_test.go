package smsapi

import (
	"strings"
	"testing"
)

func TestCompileTemplate(t *testing.T) {
	cases := []struct {
		text       string
		declared   int
		params     int
		rendered   string
		wantErr    bool
		renderWith []string
	}{
		{text: "您好{1}，订单{2}已发货", params: 2, renderWith: []string{"张三", "A1"}, rendered: "您好张三，订单A1已发货"},
		{text: "{2}在前{1}在后", params: 2, renderWith: []string{"一", "二"}, rendered: "二在前一在后"},
		{text: "没有变量", params: 0, rendered: "没有变量"},
		{text: "{0}、{a}、{1 }、{ 和 {1", params: 0, rendered: "{0}、{a}、{1 }、{ 和 {1"},
		{text: "{1}{1}", params: 1, renderWith: []string{"x"}, rendered: "xx"},
		{text: "第{12}项", params: 12, renderWith: make([]string, 12), rendered: "第项"},
		{text: "{3}", declared: 5, params: 5, renderWith: []string{"", "", "c", "", ""}, rendered: "c"},
		{text: "{3}", declared: 2, wantErr: true},
	}
	for _, c := range cases {
		tpl, err := compileTemplate("t", Template{Text: c.text, Params: c.declared})
		if c.wantErr {
			if err == nil {
				t.Errorf("%q with %d parameters: no error", c.text, c.declared)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if tpl.Params != c.params {
			t.Errorf("%q: %d parameters, want %d", c.text, tpl.Params, c.params)
		}
		if got := tpl.render("", c.renderWith); got != c.rendered {
			t.Errorf("%q: rendered %q, want %q", c.text, got, c.rendered)
		}
	}
}

func TestRenderSignature(t *testing.T) {
	mainland, _ := compileTemplate("m", Template{Text: "您好{1}"})
	global, _ := compileTemplate("g", Template{Text: "Hi {1}", International: true})
	if got := mainland.render("腾讯云", []string{"张三"}); got != "【腾讯云】您好张三" {
		t.Errorf("mainland: %q", got)
	}
	if got := global.render("腾讯云", []string{"Ann"}); got != "Hi Ann" {
		t.Errorf("global messages carry no 【】 signature: %q", got)
	}
}

func TestSegments(t *testing.T) {
	cases := []struct {
		name      string
		sign, len int
		want      int
	}{
		{"short", 4, 10, 1},
		{"exactly 70 with brackets", 4, 64, 1},
		{"71", 4, 65, 2},
		{"134", 4, 128, 2},
		{"135", 4, 129, 3},
		{"500", 10, 488, 8},
	}
	for _, c := range cases {
		if got := mainlandFee(c.sign, c.len); got != c.want {
			t.Errorf("%s: mainlandFee(%d, %d) = %d, want %d", c.name, c.sign, c.len, got, c.want)
		}
	}
	global := []struct {
		text string
		want int
	}{
		{strings.Repeat("a", 160), 1},
		{strings.Repeat("a", 161), 2},
		{strings.Repeat("{", 80), 1}, // extension characters count two
		{strings.Repeat("{", 81), 2},
		{strings.Repeat("é", 70), 1}, // outside the approximated alphabet: UCS-2
		{strings.Repeat("é", 71), 2},
	}
	for _, c := range global {
		if got := globalFee(c.text); got != c.want {
			t.Errorf("globalFee(%d × %q) = %d, want %d", len(c.text), c.text[:1], got, c.want)
		}
	}
}

func TestParsePhone(t *testing.T) {
	cases := []struct {
		in       string
		valid    bool
		mainland bool
		e164     string
		iso      string
	}{
		{"+8613800138000", true, true, "+8613800138000", "CN"},
		{"13800138000", true, true, "+8613800138000", "CN"},
		{"+8619912345678", true, true, "+8619912345678", "CN"},
		{"+8612800138000", false, true, "+8612800138000", ""},
		{"+861380013800", false, true, "+861380013800", ""},
		{"+86010-12345678", false, true, "+86010-12345678", ""},
		{"138 0013 8000", false, true, "138 0013 8000", ""},
		{"+85291234567", true, false, "+85291234567", "HK"},
		{"+12025550143", true, false, "+12025550143", "US"},
		{"+1202555014", false, false, "+1202555014", ""},
		{"+6598765432", true, false, "+6598765432", "SG"},
		{"+999123456789", false, false, "+999123456789", ""},
		{"+", false, false, "+", ""},
		{"", false, true, "", ""},
	}
	for _, c := range cases {
		p := parsePhone(c.in)
		if p.valid != c.valid || p.mainland != c.mainland || p.e164 != c.e164 || p.iso != c.iso {
			t.Errorf("parsePhone(%q) = %+v, want valid=%v mainland=%v e164=%q iso=%q", c.in, p, c.valid, c.mainland, c.e164, c.iso)
		}
	}
}

func TestLooksLikeURL(t *testing.T) {
	cases := map[string]bool{
		"https://h5.example.cn/?c=1": true,
		"HTTP://X":                   true,
		"www.example":                true,
		"example.com":                true,
		"h5.example.cn/x":            true,
		"t.cn":                       true,
		"a.b.co?x":                   true,
		"3.14":                       false,
		"张三":                         false,
		"Mr.Smith":                   false,
		"v1.2":                       false,
		"订单A1":                       false,
		"abc.company":                false,
	}
	for in, want := range cases {
		if got := looksLikeURL(in); got != want {
			t.Errorf("looksLikeURL(%q) = %v, want %v", in, got, want)
		}
	}
}
