package campaign

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// startAtLayouts are the forms start_at accepts without an offset; they
// mean Beijing time, as operators write it.
var startAtLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"}

// StartAt is when a scheduled campaign begins sending: RFC 3339, or a
// Beijing wall-clock time like "2026-03-01 10:00".
type StartAt struct{ time.Time }

// UnmarshalJSON accepts RFC 3339 and the Beijing forms above.
func (s *StartAt) UnmarshalJSON(b []byte) error {
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("start_at must be a string like \"2026-03-01 10:00\" (Beijing time)")
	}
	v = strings.TrimSpace(v)
	if v == "" {
		s.Time = time.Time{}
		return nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		s.Time = t
		return nil
	}
	for _, l := range startAtLayouts {
		if t, err := time.ParseInLocation(l, v, beijing); err == nil {
			s.Time = t
			return nil
		}
	}
	return fmt.Errorf("start_at %q: write Beijing time like \"2026-03-01 10:00\" or RFC 3339 like 2026-03-01T10:00:00+08:00", v)
}

// MarshalJSON writes RFC 3339 in Beijing time.
func (s StartAt) MarshalJSON() ([]byte, error) {
	if s.IsZero() {
		return []byte(`""`), nil
	}
	return json.Marshal(s.In(beijing).Format(time.RFC3339))
}
