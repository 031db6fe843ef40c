package check

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/smsjump/smsjump/shared/excelcsv"
)

func TestReportFieldEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"+8613800138000", "+8613800138000"},
		{`a,b`, `a,b`},
		{`say "hi"`, `say "hi"`},
		{"line\nbreak", "line\nbreak"},
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1+1", "'+1+1"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		rw, err := newReportWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := rw.write(reportRow{index: 1, line: 2, phone: "138****8000", state: StateRejected, reason: "x", detail: tt.in}); err != nil {
			t.Fatal(err)
		}
		rw.flush()
		recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[len(excelcsv.BOM):])).ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		if got := recs[1][5]; got != tt.want {
			t.Errorf("detail %q read back as %q, want %q", tt.in, got, tt.want)
		}
	}
}
