package phone

import (
	"strings"
	"testing"
)

func TestExcelFloat(t *testing.T) {
	for in, want := range map[string]bool{
		"13800138000.0": true, " 13800138000.00 ": true, "+8613800138000.0": true,
		"13800138000": false, "138.0013.8000": false, "13800138000.5": false, "1.38001E+10": false, ".0": false,
	} {
		if got := ExcelFloat(in); got != want {
			t.Errorf("ExcelFloat(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestReasonMessages(t *testing.T) {
	seen := map[string]Reason{}
	for _, r := range Reasons() {
		msg := r.Message()
		if !strings.Contains(msg, "(") || strings.Contains(msg, string(r)) {
			t.Errorf("%s: message %q should be bilingual prose, not the code", r, msg)
		}
		if other, dup := seen[msg]; dup {
			t.Errorf("%s and %s share message %q", r, other, msg)
		}
		seen[msg] = r
	}
}
