package campaign

import (
	"encoding/json"
	"testing"
	"time"
)

func TestStartAtForms(t *testing.T) {
	want := time.Date(2026, 3, 1, 10, 0, 0, 0, beijing)
	for _, in := range []string{`"2026-03-01 10:00"`, `"2026-03-01T10:00"`, `"2026-03-01 10:00:00"`, `"2026-03-01T02:00:00Z"`, `"2026-03-01T10:00:00+08:00"`} {
		var s StartAt
		if err := json.Unmarshal([]byte(in), &s); err != nil || !s.Equal(want) {
			t.Errorf("%s: %v %v", in, s, err)
		}
	}
	for _, in := range []string{`"tomorrow"`, `"2026-03-01"`, `1700000000`, `"10:00"`} {
		var s StartAt
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s accepted as %v", in, s)
		}
	}
	b, _ := json.Marshal(StartAt{want})
	if string(b) != `"2026-03-01T10:00:00+08:00"` {
		t.Errorf("marshal %s", b)
	}
}
