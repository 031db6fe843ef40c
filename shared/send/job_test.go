package send

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// badRows is one row of every kind the job must reject, with the reason
// result.csv must give; "" expects the row to be sent.
var badRows = []struct {
	line   string
	state  string
	reason string
}{
	{"13900000001,张三", StateSent, ""},
	{",李四", StateRejected, "empty_phone"},
	{"12345,王五", StateRejected, "invalid_phone"},
	{"+852 5123 4567,陈六", StateRejected, "not_mainland"},
	{"010-62345678,赵七", StateRejected, "not_mobile"},
	{"+86 139-0000-0001,重复", StateRejected, "duplicate"},
	{"13900000002,张三,多余", StateRejected, "bad_field_count"},
	{`13900000003,"郑十"x`, StateRejected, "bad_quote"},
	{"13900000004," + strings.Repeat("长", 2000), StateRejected, "row_too_long"},
	{"13900000005,", StateRejected, "missing_column"},
	{"13900000006,一二三四五六七八九十一二三", StateRejected, "param_too_long"},
	{"13900000007,x.com", StateRejected, "param_contains_url"},
	{"13900000008,【官方】", StateRejected, "forbidden_symbol"},
	{`13900000009,"王,小二"`, StateSent, ""},
}

func badRowsCSV(repeat int) (string, []string, []string) {
	var b strings.Builder
	b.WriteString("phone,name\n")
	var states, reasons []string
	for i := range repeat {
		for _, r := range badRows {
			line := r.line
			if i > 0 {
				// Later copies use other numbers so that only the planted
				// duplicate is a duplicate.
				line = strings.Replace(line, "1390000000", fmt.Sprintf("13%03d00000", 100+i), 1)
				line = strings.Replace(line, "139-0000-0001", fmt.Sprintf("%03d-0000-0001", 1300+i)[1:], 1)
			}
			b.WriteString(line)
			b.WriteString("\n")
			if i%3 == 0 {
				b.WriteString("\n") // blank lines are not rows
			}
			states = append(states, r.state)
			reasons = append(reasons, r.reason)
		}
	}
	return b.String(), states, reasons
}

func TestEveryBadRowIsAccounted(t *testing.T) {
	e := newEnv(t, nil, nil)
	csv, states, reasons := badRowsCSV(1)
	e.put("uploads/bad.csv", []byte(csv))
	e.putManifest("bad", map[string]any{"campaign_id": "spring", "target": map[string]any{"path": "pages/index/index"}, "sms_type": "notification", "params": []any{map[string]any{"column": "name"}}})
	out := e.run(context.Background(), "bad")
	if out.Status != StatusDone {
		t.Fatalf("status %s (%s)", out.Status, out.Note)
	}
	rows := e.results("bad")
	if len(rows) != len(states) {
		t.Fatalf("%d result rows, want %d", len(rows), len(states))
	}
	for i, r := range rows {
		if r.State != states[i] || r.Reason != reasons[i] {
			t.Errorf("row %d (%q): %s/%s, want %s/%s", r.Row, badRows[i].line[:min(20, len(badRows[i].line))], r.State, r.Reason, states[i], reasons[i])
		}
		if r.Reason == "duplicate" && r.Code != "与第 1 行重复" {
			t.Errorf("row %d: duplicate detail %q, want 与第 1 行重复", r.Row, r.Code)
		}
		if r.State == StateSent && (r.SerialNo == "" || r.Fee != 1 || r.Segments != 1) {
			t.Errorf("row %d sent without serial/fee/segments: %+v", r.Row, r)
		}
	}
	s := e.summary("bad")
	if s.Rows != len(states) || s.Sent != 2 || s.Rejected != len(states)-2 || s.SegmentsBilled != 2 {
		t.Errorf("summary %+v", s)
	}
	if got := e.countOutbox(); len(got) != 2 || got["+8613900000001"] != 1 || got["+8613900000009"] != 1 {
		t.Errorf("outbox %v", got)
	}
}
