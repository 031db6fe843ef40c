package campaign

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		in     string
		vars   []int
		litLen int
	}{
		{"", nil, 0},
		{"您好{1}，验证码{2}", []int{1, 2}, 6},
		{"{1}{2}", []int{1, 2}, 0},
		{"{10}个{0}和{01}以及{x}{", []int{10}, 15},
		{"{12345}", nil, 7}, // too many digits to be a variable
		{"价格{1}元}", []int{1}, 4},
	}
	for _, tc := range tests {
		got := parseTemplate(tc.in)
		if !reflect.DeepEqual(got.vars, tc.vars) || got.litLen != tc.litLen {
			t.Errorf("parseTemplate(%q) = vars %v lit %d; want %v %d", tc.in, got.vars, got.litLen, tc.vars, tc.litLen)
		}
		// The parts put back together are the template.
		var b strings.Builder
		for _, p := range got.parts {
			if p.v == 0 {
				b.WriteString(p.lit)
			} else {
				b.WriteString("{" + itoa(p.v) + "}")
			}
		}
		if b.String() != tc.in {
			t.Errorf("parts of %q rebuild %q", tc.in, b.String())
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestSegments(t *testing.T) {
	tests := []struct{ length, want int }{
		{0, 0}, {1, 1}, {70, 1}, {71, 2}, {134, 2}, {135, 3}, {201, 3}, {202, 4}, {500, 8},
	}
	for _, tc := range tests {
		if got := Segments(tc.length); got != tc.want {
			t.Errorf("Segments(%d) = %d, want %d", tc.length, got, tc.want)
		}
	}
}

func TestMessageLength(t *testing.T) {
	// 【腾讯云】 is 5 characters, the body 8: Chinese, ASCII, punctuation and space count 1 each.
	if got := MessageLength("腾讯云", "您好 ab,1。"); got != 5+8 {
		t.Fatalf("MessageLength = %d, want 13", got)
	}
}

func TestContainsURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"http://a", true},
		{"HTTPS://A.B", true},
		{"详见https://t.cn/abc", true},
		{"www.example", true},
		{"example.com", true},
		{"EXAMPLE.CN/path?x=1", true},
		{"a-b.shop", true},
		{"用户@qq.com", true},
		{"zhang@qq.com", true},
		{"t.cn:8080", true},
		{"(see.top)", true},
		{"3.5", false},
		{"¥3.50元", false},
		{"No.1", false},
		{"v1.2.3", false},
		{"Mr.Li", false},
		{"report.pdf", false},
		{"a.community", false},
		{"张三", false},
		{"", false},
		{"hello.", false},
		{".com", false},
		{"a..com", false},
		{"example。com", false}, // full-width stop: not a link to a reader's phone either
	}
	for _, tc := range tests {
		if got := containsURL(tc.in); got != tc.want {
			t.Errorf("containsURL(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestFindURLsBoundaries(t *testing.T) {
	s := "点击 https://h5.example.cn/?c=a&k={2}，或访问 www.x.cn. 谢谢"
	var got []string
	for _, sp := range findURLs(s) {
		got = append(got, s[sp.start:sp.end])
	}
	want := []string{"https://h5.example.cn/?c=a&k={2}", "www.x.cn"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("findURLs = %q, want %q", got, want)
	}
}

func TestDetectEncoding(t *testing.T) {
	zhang := []byte("张")     // e5 bc a0
	gb := []byte{0xd5, 0xc5} // 张 in GB18030
	tests := []struct {
		name  string
		in    []byte
		atEOF bool
		want  Encoding
	}{
		{"ascii, more to come", []byte("phone\n"), false, EncodingUndecided},
		{"ascii, whole file", []byte("phone\n"), true, UTF8},
		{"utf-8", append([]byte("a,"), zhang...), true, UTF8},
		{"utf-8 cut after 1 byte", append([]byte("a,"), zhang[:1]...), false, UTF8},
		{"utf-8 cut after 2 bytes", append([]byte("a,"), zhang[:2]...), false, UTF8},
		{"utf-8 truncated at eof", append([]byte("a,"), zhang[:2]...), true, GB18030},
		{"gb18030", append([]byte("a,"), gb...), true, GB18030},
		{"gb18030 at the edge", append([]byte("a,"), gb...), false, GB18030},
		{"gb18030 lead byte at the edge", append(append([]byte("a,"), gb...), 0xd5), false, GB18030},
	}
	for _, tc := range tests {
		if got := detectEncoding(tc.in, tc.atEOF); got != tc.want {
			t.Errorf("%s: detectEncoding = %q, want %q", tc.name, got, tc.want)
		}
	}
}
