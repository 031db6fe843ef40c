package campaign

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
)

const benchRows = 100000

// benchCSV is a 100k-row upload as Excel writes it: CRLF, quoted fields with
// commas, Chinese names, varied number formats.
func benchCSV(tb testing.TB, gb bool) []byte {
	var b bytes.Buffer
	b.WriteString("手机号,姓名,uid,备注\r\n")
	formats := []string{"1%d", "+86 1%d", "\"1%d\""}
	for i := range benchRows {
		num := fmt.Sprintf(formats[i%len(formats)], 3800000000+i*7)
		fmt.Fprintf(&b, "%s,张三%d,u%d,\"备注,第%d行\"\r\n", num, i%100, i, i)
	}
	if gb {
		return toGB18030(tb, b.Bytes())
	}
	return b.Bytes()
}

// BenchmarkPipeline reads, normalises and renders a whole 100k-row upload,
// the per-row work of send-sms before SendSms. Reported per row.
func BenchmarkPipeline(b *testing.B) {
	for _, gb := range []bool{false, true} {
		name := map[bool]string{false: "utf8", true: "gb18030"}[gb]
		data := benchCSV(b, gb)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			rows := 0
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				rows += pipeline(b, data)
			}
			runtime.ReadMemStats(&after)
			perRow := float64(b.Elapsed().Nanoseconds()) / float64(rows)
			b.ReportMetric(1e9/perRow, "rows/s")
			b.ReportMetric(perRow, "ns/row")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(rows), "B/row")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(rows), "allocs/row")
			b.ReportMetric(0, "ns/op")
		})
	}
}

func pipeline(b *testing.B, data []byte) int {
	r, err := NewReader(bytes.NewReader(data), Options{})
	if err != nil {
		b.Fatal(err)
	}
	rend, err := NewRenderer(validPersonal(), r.Header())
	if err != nil {
		b.Fatal(err)
	}
	seen := phone.NewSet(benchRows)
	n := 0
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
		e164, err := numplan.Normalize(row.Phone)
		if err != nil {
			b.Fatalf("row %d: %v", row.Index, err)
		}
		if !seen.Add(e164) {
			b.Fatalf("row %d: duplicate", row.Index)
		}
		if _, err := rend.Render(row, "Ab3dE9"); err != nil {
			b.Fatalf("row %d: %v", row.Index, err)
		}
	}
	if n != benchRows {
		b.Fatalf("read %d rows, want %d", n, benchRows)
	}
	return n
}

// BenchmarkEncodingCSVFloor is the floor under BenchmarkPipeline: the same
// file through encoding/csv alone (no encoding detection, no checkpoints,
// no phone rules), per row.
func BenchmarkEncodingCSVFloor(b *testing.B) {
	data := benchCSV(b, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(rec) == 0 {
				b.Fatal("empty record")
			}
			rows++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkReadRow is the reader alone, per row (B/op and allocs/op are per row).
func BenchmarkReadRow(b *testing.B) {
	src := newRowSource(1 << 62)
	r, err := NewReader(io.MultiReader(bytes.NewReader([]byte("phone,name,note\r\n")), src), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Read(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderRow is the renderer alone, per row.
func BenchmarkRenderRow(b *testing.B) {
	h, err := NewHeader([]string{"手机号", "姓名", "uid"}, "")
	if err != nil {
		b.Fatal(err)
	}
	r, err := NewRenderer(validPersonal(), h)
	if err != nil {
		b.Fatal(err)
	}
	row := Row{Fields: []string{"13800138000", "张三", "u12345"}, Header: h}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(row, "Ab3dE9"); err != nil {
			b.Fatal(err)
		}
	}
}
