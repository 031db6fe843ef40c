package excelcsv

import (
	"encoding/csv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendField(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"sent", "sent"},
		{"+8613800138000", "+8613800138000"},
		{"a,b", `"a,b"`},
		{`say "hi"`, `"say ""hi"""`},
		{"two\nlines", "\"two\nlines\""},
		{"=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"-1+2", "'-1+2"},
		{"+86 138", "'+86 138"},
		{"张三", "张三"},
		{"bad\xffutf8", "bad\ufffdutf8"},
	} {
		if got := string(AppendField(nil, tc.in)); got != tc.want {
			t.Errorf("AppendField(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzAppendField: every cell reads back through encoding/csv as itself,
// or as itself behind the defusing quote, and never starts a formula.
func FuzzAppendField(f *testing.F) {
	for _, s := range []string{"", "a,b", "=1+1", "+8613800138000", "\"", "x\r\ny", "-", "@", "+", "+1a", "-5", "sent"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The one-pass shortcut changes nothing.
		if got, want := AppendField(nil, s), appendCell(nil, s); string(got) != string(want) {
			t.Fatalf("%q: %q, the full path gives %q", s, got, want)
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, '\r') {
			return // replaced or normalised by design; covered above
		}
		line := string(AppendField(nil, s)) + ",end\r\n"
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatalf("%q → %q: %v", s, line, err)
		}
		if len(rec) != 2 || (rec[0] != s && rec[0] != "'"+s) {
			t.Fatalf("%q read back as %q", s, rec)
		}
		if c := rec[0]; c != "" && strings.ContainsRune("=@", rune(c[0])) {
			t.Fatalf("%q reads back as a formula %q", s, c)
		}
	})
}
