package audience

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// BenchmarkLoadMillion: a job run's load of a 1,000,000-number suppression
// list and a ledger of 1,000,000 sent numbers (200 segments) from an
// in-memory store, then 1,000,000 checks. Reports the heap the loaded filter
// holds.
func BenchmarkLoadMillion(b *testing.B) {
	ctx := context.Background()
	st, _ := store.Open(ctx, "mem://")
	defer st.Close()
	past := func() time.Time { return time.Now().Add(-48 * time.Hour) }
	aud := New(st, past)
	keys := make([]uint64, 1_000_000)
	for i := range keys {
		keys[i] = 8615000000000 + uint64(i)*37
	}
	if _, err := aud.List.AddKeys(ctx, keys, SourceUpload, "suppress/big.csv"); err != nil {
		b.Fatal(err)
	}
	rec, _ := aud.Ledger.Recorder(ctx, "job-old", "old", 0)
	for s := range 200 {
		seg := make([]uint64, 5000)
		for i := range seg {
			seg[i] = 8613000000000 + uint64(s*5000+i)
		}
		if err := rec.Commit(ctx, s, seg); err != nil {
			b.Fatal(err)
		}
	}
	c, _ := ParseCap("1/24h,3/7d")
	gate := NewGate(New(st, nil), c, nil)
	b.ResetTimer()
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		j, err := gate.Begin(ctx, Job{ID: "bench", Marketing: true, DryRun: true})
		if err != nil {
			b.Fatal(err)
		}
		load := time.Since(start)
		runtime.GC()
		runtime.ReadMemStats(&after)
		start = time.Now()
		allowed := 0
		for i := range 1_000_000 {
			if j.f.Check(8613000000000+uint64(i)) == Allow {
				allowed++
			}
		}
		check := time.Since(start)
		if allowed != 1_000_000 || j.f.Suppressed != 1_000_000 || j.f.Counted != 1_000_000 {
			b.Fatalf("allowed %d, suppressed %d, counted %d", allowed, j.f.Suppressed, j.f.Counted)
		}
		b.ReportMetric(load.Seconds(), "load-s")
		b.ReportMetric(float64(check.Nanoseconds())/1e6, "ns/check")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "filter-MB")
		runtime.KeepAlive(j)
	}
}
