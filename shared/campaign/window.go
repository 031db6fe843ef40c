package campaign

import (
	"fmt"
	"time"
)

// beijing is China Standard Time. A fixed zone needs no tzdata on SCF, and
// China has no daylight saving time.
var beijing = time.FixedZone("CST", 8*3600)

// MarketingHours are the only hours marketing SMS may be sent, Beijing time.
var MarketingHours = DailyWindow{Start: "08:00", End: "22:00"}

// DailyWindow is a span of each day, Beijing time, as "HH:MM" (End may be
// "24:00"). The start is inclusive and the end exclusive. The zero value
// allows any time.
type DailyWindow struct {
	// Start, e.g. "09:00".
	Start string `json:"start"`
	// End, e.g. "21:00"; after Start.
	End string `json:"end"`
}

// IsZero reports whether the window is unset, i.e. allows any time.
func (w DailyWindow) IsZero() bool { return w.Start == "" && w.End == "" }

// bounds returns the window in minutes since midnight.
func (w DailyWindow) bounds() (start, end int, err error) {
	if start, err = parseClock(w.Start, false); err != nil {
		return 0, 0, fmt.Errorf("start: %w", err)
	}
	if end, err = parseClock(w.End, true); err != nil {
		return 0, 0, fmt.Errorf("end: %w", err)
	}
	if end <= start {
		return 0, 0, fmt.Errorf("end %s is not after start %s", w.End, w.Start)
	}
	return start, end, nil
}

func parseClock(s string, allow24 bool) (int, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || h == 24 && (m != 0 || !allow24) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return h*60 + m, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Contains reports whether t falls inside the window on its Beijing day.
// An invalid window contains nothing.
func (w DailyWindow) Contains(t time.Time) bool {
	if w.IsZero() {
		return true
	}
	start, end, err := w.bounds()
	if err != nil {
		return false
	}
	bt := t.In(beijing)
	m := bt.Hour()*60 + bt.Minute()
	return m >= start && m < end
}

// Next returns t if the window contains it, else the next time it opens.
// A job deferred outside its window sleeps until then.
func (w DailyWindow) Next(t time.Time) time.Time {
	if w.Contains(t) {
		return t
	}
	start, _, err := w.bounds()
	if err != nil {
		return time.Time{}
	}
	bt := t.In(beijing)
	open := time.Date(bt.Year(), bt.Month(), bt.Day(), start/60, start%60, 0, 0, beijing)
	if !open.After(bt) {
		open = open.AddDate(0, 0, 1)
	}
	return open
}

// EffectiveSendWindow is the daily window the job must respect: the manifest's
// send_window, else MarketingHours for marketing SMS, else any time.
func (m Manifest) EffectiveSendWindow() DailyWindow {
	if !m.SendWindow.IsZero() {
		return m.SendWindow
	}
	if m.Type == Marketing {
		return MarketingHours
	}
	return DailyWindow{}
}
