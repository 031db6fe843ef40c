package campaign

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func header(t *testing.T, names ...string) *Header {
	t.Helper()
	h, err := NewHeader(names, "")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestRender(t *testing.T) {
	h := header(t, "手机号", "姓名", "uid", "备注")
	r, err := NewRenderer(validPersonal(), h)
	if err != nil {
		t.Fatal(err)
	}
	row := func(fields ...string) Row { return Row{Index: 1, Fields: fields, Header: h} }
	tests := []struct {
		name   string
		row    Row
		link   string
		want   Rendered
		reason Reason
	}{
		{
			name: "full row",
			row:  row("13800138000", " 张三 ", "u 1&x=中", ""),
			link: "Ab3dE9",
			want: Rendered{
				Params: []string{"张三", "20", "Ab3dE9"},
				Body:   "张三您好，春季会员日送您20元优惠券，点击 https://h5.example.cn/?c=spring2026&k=Ab3dE9 领取，拒收请回复R",
				Query:  "from=sms",
				CQ:     "uid=u%201%26x%3D%E4%B8%AD",
			},
		},
		{name: "default for empty column", row: row("13800138000", "", "u1", ""), link: "k",
			want: Rendered{Params: []string{"会员", "20", "k"}}},
		{name: "empty query column", row: row("13800138000", "张三", " ", ""), link: "k", reason: ReasonMissingColumn},
		{name: "short row counts as empty", row: row("13800138000", "张三"), link: "k", reason: ReasonMissingColumn},
		{name: "url in name", row: row("13800138000", "见t.cn/x", "u1", ""), link: "k", reason: ReasonParamContainsURL},
		{name: "forbidden in name", row: row("13800138000", "张★三", "u1", ""), link: "k", reason: ReasonForbiddenSymbol},
		{name: "brackets in name", row: row("13800138000", "【张三】", "u1", ""), link: "k", reason: ReasonForbiddenSymbol},
		{name: "name too long", row: row("13800138000", "欧阳张三李四王五赵六孙七八", "u1", ""), link: "k", reason: ReasonParamTooLong},
		{name: "decimal is no url", row: row("13800138000", "3.5折", "u1", ""), link: "k",
			want: Rendered{Params: []string{"3.5折", "20", "k"}}},
		{name: "link code too long", row: row("13800138000", "张三", "u1", ""), link: "ABCDEFGHIJKLM", reason: ReasonParamTooLong},
		{name: "cq too long", row: row("13800138000", "张三", strings.Repeat("中", 30), ""), link: "k", reason: ReasonQueryTooLong},
		{name: "reader rejection passes through", row: Row{Err: reject(ReasonBadQuote, "")}, reason: ReasonBadQuote},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Render(tc.row, tc.link)
			if tc.reason != "" {
				if reason, _ := ReasonOf(err); reason != tc.reason {
					t.Fatalf("Render error %v, want %s", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Params, tc.want.Params) {
				t.Errorf("params = %q, want %q", got.Params, tc.want.Params)
			}
			if tc.want.Body != "" && got.Body != tc.want.Body {
				t.Errorf("body = %q\nwant %q", got.Body, tc.want.Body)
			}
			if tc.want.Query != "" && got.Query != tc.want.Query {
				t.Errorf("query = %q, want %q", got.Query, tc.want.Query)
			}
			if want := MessageLength("示例商城", got.Body); got.Length != want || got.Segments != Segments(want) {
				t.Errorf("length %d segments %d, want %d %d", got.Length, got.Segments, want, Segments(want))
			}
		})
	}
	if _, err := r.Render(row("13800138000", "张三", "u1", ""), ""); !errors.Is(err, ErrNoLinkCode) {
		t.Errorf("missing code: %v", err)
	}
}

func TestRenderLengthAndSegments(t *testing.T) {
	m := validFixed()
	m.ParamMaxLen = 500
	h := header(t, "phone", "name")
	r, err := NewRenderer(m, h)
	if err != nil {
		t.Fatal(err)
	}
	// 【示例商城】 6 + "尊敬的" 3 + "，活动已开始：h5.example.cn/?c=poster" 31 = 40 before the name.
	base := MessageLength("示例商城", strings.Replace(m.TemplateText, "{1}", "", 1))
	for _, tc := range []struct{ nameLen, segments int }{
		{70 - base, 1}, {71 - base, 2}, {134 - base, 2}, {135 - base, 3}, {500 - base, 8},
	} {
		row := Row{Fields: []string{"13800138000", strings.Repeat("名", tc.nameLen)}, Header: h}
		got, err := r.Render(row, "")
		if err != nil {
			t.Fatalf("name of %d: %v", tc.nameLen, err)
		}
		if got.Length != base+tc.nameLen || got.Segments != tc.segments {
			t.Errorf("name of %d: length %d segments %d, want %d %d", tc.nameLen, got.Length, got.Segments, base+tc.nameLen, tc.segments)
		}
		if got.Query != "from=sms" {
			t.Errorf("fixed query = %q", got.Query)
		}
	}
	row := Row{Fields: []string{"13800138000", strings.Repeat("名", 501-base)}, Header: h}
	if _, err := r.Render(row, ""); !errors.Is(err, ReasonTooLong) {
		t.Errorf("501 characters: %v, want too_long", err)
	}
}

func TestNewRendererChecksColumns(t *testing.T) {
	m := validPersonal()
	_, err := NewRenderer(m, header(t, "phone", "name", "姓名", "姓 名"))
	if !errors.Is(err, ErrInvalidManifest) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`params[0].column: the CSV has more than one column "姓名"`, `target.cq: column "uid" is not in the CSV header`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	m.TemplateID = ""
	if _, err := NewRenderer(m, header(t, "phone")); !errors.Is(err, ErrInvalidManifest) || !strings.Contains(err.Error(), "template_id") {
		t.Errorf("NewRenderer does not validate: %v", err)
	}
}

// Constants and defaults are checked once by Validate, with the rules
// Render applies to row values: a bad one never reaches Render.
func TestRenderFixedValuesValidatedUpFront(t *testing.T) {
	h := header(t, "手机号", "姓名", "uid", "备注")
	for _, bad := range []string{"一二三四五六七八九十一二三", "见t.cn/x", "张★三"} {
		m := validPersonal()
		m.Params[0].Default = ptr(bad)
		if _, err := NewRenderer(m, h); err == nil {
			t.Errorf("default %q accepted", bad)
		}
		m = validPersonal()
		m.Params[1].Const = ptr(bad)
		if _, err := NewRenderer(m, h); err == nil {
			t.Errorf("constant %q accepted", bad)
		}
	}
}

// A manifest of constants only renders the same message on every row, now
// worked out once: it must equal what a column with that value renders.
func TestRenderConstantsOnlyMatchesColumn(t *testing.T) {
	h := header(t, "phone", "name")
	m := validFixed()
	m.Params = []Param{{Const: ptr("朋友")}}
	rc, err := NewRenderer(m, h)
	if err != nil {
		t.Fatal(err)
	}
	m.Params = []Param{{Column: "name"}}
	rcol, err := NewRenderer(m, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		row := Row{Index: i + 1, Fields: []string{"13800138000", "朋友"}, Header: h}
		a, err := rc.Render(row, "")
		if err != nil {
			t.Fatal(err)
		}
		b, err := rcol.Render(row, "")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) || a.Body != "尊敬的朋友，活动已开始：h5.example.cn/?c=poster" || a.Length != b.Length || a.Segments != 1 {
			t.Fatalf("constants %+v\ncolumn    %+v", a, b)
		}
	}
}
