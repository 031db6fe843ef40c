package audience

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Beijing is the time zone of the cap's calendar days (China has no DST).
var Beijing = time.FixedZone("CST", 8*3600)

// maxRules bounds a cap; counts are kept per rule in a fixed array.
const maxRules = 4

// Rule allows Limit messages per number within a window: the last Hours
// hours (rolling), or the last Days Beijing calendar days including today.
type Rule struct {
	Limit int
	Hours int // rolling window, or 0
	Days  int // calendar days, or 0
}

// Cap is a frequency cap such as 1/24h,3/7d; the zero Cap is off.
type Cap []Rule

// ParseCap reads FREQUENCY_CAP: comma-separated LIMIT/WINDOW rules, WINDOW
// being Nh (rolling hours, 1–720) or Nd (Beijing calendar days, 1–30). Empty
// or "off" turns the cap off.
func ParseCap(s string) (Cap, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "off") {
		return nil, nil
	}
	var c Cap
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		lim, win, ok := strings.Cut(part, "/")
		n, err := strconv.Atoi(strings.TrimSpace(lim))
		if !ok || err != nil || n < 1 || n > 250 {
			return nil, fmt.Errorf("frequency cap %q: %q is not LIMIT/WINDOW with LIMIT 1–250, e.g. 1/24h", s, part)
		}
		win = strings.TrimSpace(win)
		if len(win) < 2 {
			return nil, fmt.Errorf("frequency cap %q: window %q: want Nh or Nd, e.g. 24h or 7d", s, win)
		}
		w, err := strconv.Atoi(win[:len(win)-1])
		r := Rule{Limit: n}
		switch unit := win[len(win)-1]; {
		case err != nil || w < 1:
			return nil, fmt.Errorf("frequency cap %q: window %q: want Nh or Nd, e.g. 24h or 7d", s, win)
		case unit == 'h' && w <= 720:
			r.Hours = w
		case unit == 'd' && w <= 30:
			r.Days = w
		default:
			return nil, fmt.Errorf("frequency cap %q: window %q: want 1h–720h or 1d–30d", s, win)
		}
		c = append(c, r)
	}
	if len(c) > maxRules {
		return nil, fmt.Errorf("frequency cap %q: at most %d rules", s, maxRules)
	}
	return c, nil
}

// String gives the cap back in FREQUENCY_CAP form.
func (c Cap) String() string {
	if len(c) == 0 {
		return "off"
	}
	parts := make([]string, len(c))
	for i, r := range c {
		if r.Hours > 0 {
			parts[i] = fmt.Sprintf("%d/%dh", r.Limit, r.Hours)
		} else {
			parts[i] = fmt.Sprintf("%d/%dd", r.Limit, r.Days)
		}
	}
	return strings.Join(parts, ",")
}

// since is the start of rule r's window at now: a message sent at or after
// it counts.
func (r Rule) since(now time.Time) time.Time {
	if r.Hours > 0 {
		return now.Add(-time.Duration(r.Hours) * time.Hour)
	}
	y, m, d := now.In(Beijing).Date()
	return time.Date(y, m, d-(r.Days-1), 0, 0, 0, 0, Beijing)
}

// lookback is the earliest time any rule of c looks at.
func (c Cap) lookback(now time.Time) time.Time {
	t := now
	for _, r := range c {
		if s := r.since(now); s.Before(t) {
			t = s
		}
	}
	return t
}

// beijingDay names the Beijing calendar day of t, e.g. 20260301.
func beijingDay(t time.Time) string { return t.In(Beijing).Format("20060102") }
