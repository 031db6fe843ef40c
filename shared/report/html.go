package report

import (
	"bytes"
	"fmt"
	"sort"
	"time"
)

var beijing = time.FixedZone("CST", 8*3600)

// platformNames are the report's names of funnel platforms.
var platformNames = map[string]string{
	"ios": "iOS 浏览器", "android": "安卓浏览器", "wechat": "微信内", "inapp": "其他 App 内",
	"desktop": "电脑", "other": "其他/未知",
}

// eventNames are the report's names of page events.
var eventNames = map[string]string{
	"jump": "自动跳转", "launch": "开放标签拉起", "urllink": "URL Link 跳转", "button": "点击按钮",
	"fallback": "显示帮助", "qr": "电脑端二维码", "arrived": "到达小程序",
}

type bar struct {
	Label string
	Value int64
	Text  string
	Width float64 // 0–100, share of the widest bar
	Y     int
}

type view struct {
	F       *Funnel
	Steps   []bar
	Hours   []column
	HourMax int64
	Plats   []bar
	Fails   []bar
	Events  []bar
	Height  int
}

type column struct {
	Label          string
	X, H, JH, W, Y float64
	Opened, Jumped int64
}

// HTML renders the report page.
func HTML(f *Funnel) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	writePage(&buf, buildView(f))
	return buf.Bytes(), nil
}

// buildView lays out the page's bars and columns.
func buildView(f *Funnel) view {
	v := view{F: f}
	steps := []struct {
		label string
		n     int64
		rate  string
	}{
		{"名单行数", int64(f.Rows), ""},
		{"已发送", int64(f.Sent), ""},
		{"已送达", int64(f.Delivered), pctOf(f.Rates.Delivered)},
		{"打开链接", f.Opened, pctOf(f.Rates.Opened)},
		{"跳转小程序", f.Jumped, pctOf(f.Rates.Jumped)},
		{"到达小程序", f.Arrived, pctOf(f.Rates.Arrived)},
	}
	var top int64 = 1
	for _, s := range steps {
		top = max(top, s.n)
	}
	for i, s := range steps {
		text := fmt.Sprint(s.n)
		if s.rate != "" {
			text += "（" + s.rate + "）"
		}
		v.Steps = append(v.Steps, bar{Label: s.label, Value: s.n, Text: text, Width: 100 * float64(s.n) / float64(top), Y: i * 30})
	}
	v.Plats = bars(platformCounts(f), platformNames)
	v.Fails = bars(intCounts(f.DeliveryFailures), nil)
	v.Events = bars(f.Events, eventNames)
	for _, h := range f.OpensByHour {
		v.HourMax = max(v.HourMax, h.Opened)
	}
	if n := len(f.OpensByHour); n > 0 {
		w := 600.0 / float64(n)
		for i, h := range f.OpensByHour {
			c := column{Label: hourLabel(h.Start), X: float64(i) * w, W: max(w-2, 1), Opened: h.Opened, Jumped: h.Jumped}
			c.H = 100 * float64(h.Opened) / float64(max(v.HourMax, 1))
			c.JH = 100 * float64(h.Jumped) / float64(max(v.HourMax, 1))
			c.Y = 110 - c.H
			v.Hours = append(v.Hours, c)
		}
	}
	return v
}

func pctOf(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

func hourLabel(t time.Time) string { return t.In(beijing).Format("01-02 15时") }

func platformCounts(f *Funnel) map[string]int64 {
	m := map[string]int64{}
	for _, p := range f.Platforms {
		m[p.Name] = p.Opened
	}
	return m
}

func intCounts(m map[string]int) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = int64(v)
	}
	return out
}

// bars sorts counts largest first into bars; names translate keys.
func bars(m map[string]int64, names map[string]string) []bar {
	var out []bar
	var top int64 = 1
	for k, n := range m {
		label := k
		if names[k] != "" {
			label = names[k]
		}
		out = append(out, bar{Label: label, Value: n, Text: fmt.Sprint(n)})
		top = max(top, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Value != out[j].Value {
			return out[i].Value > out[j].Value
		}
		return out[i].Label < out[j].Label
	})
	for i := range out {
		out[i].Width = 100 * float64(out[i].Value) / float64(top)
		out[i].Y = i * 30
	}
	return out
}
