// Package zh formats numbers, durations and times the way the Chinese
// operator reads them in the emulator's terminal and in check and status:
// Beijing time whatever the machine's zone, units spelled out, large counts
// grouped.
package zh

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Beijing is UTC+8 without daylight saving. A fixed zone, so output does not
// depend on the machine's tzdata.
var Beijing = time.FixedZone("CST", 8*3600)

// Time is t as 2006-01-02 15:04:05 in Beijing time.
func Time(t time.Time) string { return t.In(Beijing).Format("2006-01-02 15:04:05") }

// Clock is t as 15:04:05 in Beijing time, for lines of a running session.
func Clock(t time.Time) string { return t.In(Beijing).Format("15:04:05") }

// Count groups digits by thousands: 1234567 → 1,234,567.
func Count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Duration spells d out rounded to what matters: 850 毫秒, 12 秒, 5 分 34 秒,
// 2 小时 5 分, 3 天 4 小时.
func Duration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + Duration(-d)
	case d < time.Second:
		return fmt.Sprintf("%d 毫秒", d.Milliseconds())
	case d < 10*time.Second:
		return strconv.FormatFloat(math.Round(d.Seconds()*10)/10, 'f', -1, 64) + " 秒"
	case d < time.Minute:
		return fmt.Sprintf("%d 秒", int(d.Round(time.Second).Seconds()))
	case d < time.Hour:
		d = d.Round(time.Second)
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		if s == 0 {
			return fmt.Sprintf("%d 分", m)
		}
		return fmt.Sprintf("%d 分 %d 秒", m, s)
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if m == 0 {
			return fmt.Sprintf("%d 小时", h)
		}
		return fmt.Sprintf("%d 小时 %d 分", h, m)
	default:
		d = d.Round(time.Hour)
		days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
		if h == 0 {
			return fmt.Sprintf("%d 天", days)
		}
		return fmt.Sprintf("%d 天 %d 小时", days, h)
	}
}

// Yuan is an amount in CNY with two decimals: 0.77 元.
func Yuan(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + " 元" }

// Bytes is a file size: 812 字节, 18.8 MB.
func Bytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d 字节", n)
	case n < 1e6:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}
