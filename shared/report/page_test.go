package report

import (
	"bytes"
	"html/template"
	"os"
	"testing"
	"time"
)

// TestPageMatchesTemplate renders funnels through the html/template the page
// was first written in (testdata/report.html.tmpl) and through writePage,
// and requires the same bytes: same text, same escaping.
func TestPageMatchesTemplate(t *testing.T) {
	src, err := os.ReadFile("testdata/report.html.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("report").Funcs(template.FuncMap{
		"pct":    func(x float64) string { return pctOf(x) },
		"bjt":    func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04") },
		"scale":  func(w float64) float64 { return w * 1.9 },
		"plus":   func(a, b float64) float64 { return a + b },
		"height": func(n int) int { return n*30 + 4 },
		"last":   func(cs []column) column { return cs[len(cs)-1] },
	}).Parse(string(src)))

	t0 := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	full := &Funnel{
		Campaign: `spring<"&'+>` + "\x00", JobID: "j1", Upload: "uploads/春季 & <b>.csv", Generated: t0, Settled: true,
		Rows: 10, Sent: 9, Delivered: 7, DeliveryFailed: 1, NotReported: 1, Opened: 5, Jumped: 3, Arrived: 1,
		Rates:            Rates{Delivered: 7.0 / 9, Opened: 5.0 / 7, Jumped: 0.6, Arrived: 1.0 / 3},
		DeliveryFailures: map[string]int{"UNDELIV": 1, "EXPIRED<x>": 2},
		NotSent:          map[string]int{"duplicate": 1, "invalid_phone": 3, "a&b": 2},
		Events:           map[string]int64{"jump": 3, "button": 1, "unknown'evt": 2},
		OpensByHour:      []Hour{{Start: t0, Opened: 4, Jumped: 2}, {Start: t0.Add(time.Hour), Opened: 1}},
		Platforms:        []Platform{{Name: "ios", Opened: 3}, {Name: "wechat", Opened: 2, Jumped: 1}},
		PersonalOpened:   2,
		Receipts:         ReceiptStats{Matched: 8, Duplicates: 1, Late: 1},
	}
	for name, f := range map[string]*Funnel{
		"empty": {Campaign: "c", Generated: t0},
		"full":  full,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := HTML(f)
			if err != nil {
				t.Fatal(err)
			}
			want := renderView(t, tmpl, f)
			if !bytes.Equal(got, want) {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				lo := max(i-80, 0)
				t.Fatalf("differs at byte %d\nwritePage: %q\ntemplate:  %q", i, got[lo:min(i+80, len(got))], want[lo:min(i+80, len(want))])
			}
		})
	}
}

// renderView executes the template on the view HTML builds.
func renderView(t *testing.T, tmpl *template.Template, f *Funnel) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tmpl.Execute(&b, buildView(f)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
