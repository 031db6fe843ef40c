package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/report"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
)

// TestStatusFunnelGolden: the funnel rows under the status table, with
// opens read live from the emulator's store (one more open than the last
// funnel.json knew of).
func TestStatusFunnelGolden(t *testing.T) {
	ctx := context.Background()
	b, dir := tempBucket(t)
	job := "reports/demo/job1/"
	lb, _ := json.Marshal(send.Latest{JobID: "job1", Report: job, Result: job + "result.csv"})
	fn := report.Funnel{Campaign: "demo", JobID: "job1", Generated: time.Date(2026, 3, 2, 1, 18, 40, 0, time.UTC),
		Rows: 20, Sent: 16, Delivered: 13, DeliveryFailed: 2, Opened: 4, Jumped: 3,
		DeliveryFailures: map[string]int{"UNDELIV": 1, "EXPIRED": 1}, Receipts: report.ReceiptStats{Matched: 15, Duplicates: 2}}
	fn.Fill()
	fb, _ := json.Marshal(fn)
	for key, data := range map[string][]byte{"reports/demo/latest.json": lb, job + "funnel.json": fb} {
		putBlob(t, b, key, data)
	}
	storeURL := "bolt://" + filepath.ToSlash(filepath.Join(dir, "store.db"))
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := funnel.NewRecorder(st)
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	for _, e := range []funnel.Event{funnel.Opened, funnel.Opened, funnel.Opened, funnel.Opened, funnel.Opened, funnel.Jump, funnel.Jump, funnel.Launch} {
		if err := rec.Record(ctx, funnel.Hit{Campaign: "demo", Event: e, Platform: funnel.IOS, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out bytes.Buffer
	if err := statusFunnel(ctx, &out, b, "demo", "/work/.smsjump/bucket/", storeURL, false); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("status", "funnel.golden"), out.Bytes())
}
