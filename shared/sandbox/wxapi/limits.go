package wxapi

import "time"

// beijing is UTC+8 without DST; WeChat's daily quotas reset at its midnight.
var beijing = time.FixedZone("CST", 8*3600)

func dayKey(t time.Time) string { return t.In(beijing).Format(time.DateOnly) }

// window counts events in fixed windows (a second, a minute, a day). The
// real limits are not documented as sliding, and fixed windows make the
// sandbox's answers predictable under a fake clock.
type window struct {
	key   string
	count int
}

// add counts one event in the window named key and reports whether it fits
// under limit. An event over the limit is not counted.
func (w *window) add(key string, limit int) bool {
	if w.key != key {
		w.key, w.count = key, 0
	}
	if w.count >= limit {
		return false
	}
	w.count++
	return true
}

// used returns the count in window key without adding.
func (w *window) used(key string) int {
	if w.key != key {
		return 0
	}
	return w.count
}

func secondKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05") }
func minuteKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") }
