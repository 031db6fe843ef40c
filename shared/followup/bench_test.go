package followup_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/followup"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
)

// BenchmarkTick: one timer tick matching a whole job's receipts (100 per
// inbox batch, as a pull page or a callback POST brings them) against a
// finished job's result.csv, and writing its ledger, funnel.json,
// report.html and delivery.csv on a file bucket. Reports receipts/s.
func BenchmarkTick(b *testing.B) {
	for _, rows := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) { benchTick(b, rows) })
	}
}

func benchTick(b *testing.B, rows int) {
	ctx := b.Context()
	now := time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC)
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		bucket, err := blob.Open(ctx, "file://"+b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		st, _ := store.Open(ctx, "mem://")
		prefix := "reports/spring/j1/"
		var csv bytes.Buffer
		csv.WriteString(excelcsv.BOM + "row,phone,state,reason,code,serial_no,fee,segments,in_flight_at_crash\r\n")
		for i := 1; i <= rows; i++ {
			fmt.Fprintf(&csv, "%d,+86139%08d,sent,,Ok,2433:%d,1,1,false\r\n", i, i, 1_000_000+i)
		}
		put := func(key string, data []byte) {
			if err := bucket.WriteAll(ctx, key, data, blob.WriterOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		put(prefix+"result.csv", csv.Bytes())
		sum, _ := json.Marshal(send.Summary{JobID: "j1", Upload: "uploads/spring.csv", Campaign: "spring", State: "done",
			Rows: rows, Sent: rows, Finished: now.Add(-time.Hour).Format(time.RFC3339)})
		put(prefix+"summary.json", sum)
		lat, _ := json.Marshal(send.Latest{JobID: "j1", Report: prefix, Result: prefix + "result.csv"})
		put("reports/spring/latest.json", lat)
		in := receipt.NewInbox(bucket, func() time.Time { return now })
		for i := 1; i <= rows; i += 100 {
			rs := make([]receipt.Receipt, 0, 100)
			for j := i; j < i+100 && j <= rows; j++ {
				rs = append(rs, receipt.Receipt{SerialNo: fmt.Sprintf("2433:%d", 1_000_000+j), Delivered: j%10 != 0, Code: "DELIVRD", At: now})
			}
			if _, err := in.Put(ctx, "pull", rs); err != nil {
				b.Fatal(err)
			}
		}
		f := followup.New(followup.Options{MaxBatches: rows/100 + 1, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
		b.StartTimer()
		start := time.Now()
		stats, err := f.Tick(ctx, bucket, st, nil)
		total += time.Since(start)
		if err != nil || stats.Matched != rows {
			b.Fatalf("tick: %+v %v", stats, err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/total.Seconds(), "receipts/s")
}
