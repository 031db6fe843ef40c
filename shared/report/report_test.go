package report_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/report"
)

// sample is a plausible finished campaign.
func sample() *report.Funnel {
	h := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	f := &report.Funnel{
		Campaign: "spring", JobID: "j1a2b3", Upload: "uploads/spring.csv", Generated: h.Add(5 * time.Hour),
		Rows: 1000, Sent: 960, Delivered: 900, DeliveryFailed: 40, Opened: 420, Jumped: 300, Arrived: 120,
		DeliveryFailures: map[string]int{"UNDELIV": 25, "EXPIRED": 10, "MK:0001": 5},
		NotSent:          map[string]int{"invalid_phone": 30, "duplicate": 10},
		Events:           map[string]int64{"jump": 250, "launch": 50, "button": 60, "fallback": 40, "qr": 12},
		Platforms:        []report.Platform{{"ios", 200, 160}, {"android", 150, 110}, {"wechat", 60, 30}, {"desktop", 10, 0}},
		PersonalOpened:   0,
		Receipts:         report.ReceiptStats{Matched: 940, Duplicates: 3, Late: 1},
	}
	for i := range 12 {
		f.OpensByHour = append(f.OpensByHour, report.Hour{Start: h.Add(time.Duration(11-i) * time.Hour), Opened: int64(10 + i*5), Jumped: int64(5 + i*3)})
	}
	f.Fill()
	return f
}

func TestFillAddsUp(t *testing.T) {
	f := sample()
	if f.Delivered+f.DeliveryFailed+f.NotReported != f.Sent || f.NotReported != 20 {
		t.Fatalf("delivered %d + failed %d + not reported %d != sent %d", f.Delivered, f.DeliveryFailed, f.NotReported, f.Sent)
	}
	if f.Rates.Delivered != 900.0/960 || f.Rates.Opened != 420.0/900 || f.Rates.Jumped != 300.0/420 || f.Rates.Arrived != 120.0/300 {
		t.Errorf("rates %+v", f.Rates)
	}
	if !f.OpensByHour[0].Start.Before(f.OpensByHour[1].Start) {
		t.Error("hours not sorted")
	}
	b, _ := json.Marshal(f)
	for _, k := range []string{`"delivered":900`, `"not_reported":20`, `"opens_by_hour":[`, `"delivery_failures":{`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("funnel.json lacks %s: %s", k, b)
		}
	}
	empty := &report.Funnel{}
	empty.Fill()
	if empty.Rates != (report.Rates{}) {
		t.Errorf("empty funnel rates %+v, want zeros (no division by zero)", empty.Rates)
	}
}

// external matches anything that would make a browser fetch: a URL
// attribute, a CSS url() or @import, a script.
var external = regexp.MustCompile(`(?i)\b(src|href|srcset|action|poster|data)\s*=|url\(|@import|<script|<link|<iframe|<object|<embed`)

func TestHTMLSelfContained(t *testing.T) {
	for name, f := range map[string]*report.Funnel{"sample": sample(), "empty": func() *report.Funnel { f := &report.Funnel{Campaign: "x"}; f.Fill(); return f }()} {
		b, err := report.HTML(f)
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		if m := external.FindString(page); m != "" {
			t.Errorf("%s: report.html would load something: %q", name, m)
		}
		for _, want := range []string{`lang="zh-CN"`, "已送达", "打开链接", "<svg", `name="viewport"`, "default-src 'none'"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: report.html lacks %q", name, want)
			}
		}
	}
	b, _ := report.HTML(sample())
	for _, want := range []string{"UNDELIV", "iOS 浏览器", "开放标签拉起", "900", "（93.8%）"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	// Values are escaped: a campaign id can never inject markup.
	f := sample()
	f.Upload = `uploads/<img src=x>.csv`
	b, _ = report.HTML(f)
	if strings.Contains(string(b), "<img") {
		t.Error("upload name not escaped")
	}
}
