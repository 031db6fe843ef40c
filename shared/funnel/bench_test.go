package funnel_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/store"
)

// countingStore counts counter writes, so the benchmark reports store
// writes per open next to its time.
type countingStore struct {
	store.Store
	c      store.Counter
	writes atomic.Int64
}

func (s *countingStore) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	s.writes.Add(1)
	return s.c.Incr(ctx, key, field, delta, ttl)
}

func (s *countingStore) Counts(ctx context.Context, key string) (map[string]int64, error) {
	return s.c.Counts(ctx, key)
}

// benchOpens serves warm opens of one campaign (plaintext: the scheme is
// built locally, the path every cached open takes after the store read),
// with or without the funnel's open hook.
func benchOpens(b *testing.B, storeURL string, record bool) {
	st, err := store.Open(b.Context(), storeURL)
	if err != nil {
		b.Skip(err)
	}
	defer st.Close()
	c, _ := store.AsCounter(st)
	cs := &countingStore{Store: st, c: c}
	o := scheme.Options{AppID: "wx0123456789abcdef", Mode: scheme.ModePlaintext, Logger: slog.New(slog.DiscardHandler)}
	if record {
		rec, err := funnel.NewRecorder(cs)
		if err != nil {
			b.Fatal(err)
		}
		o.OnOpen = rec.OnOpen(time.Now, slog.Default())
	}
	links := link.NewRegistry(st, map[string]config.StaticCampaign{"spring": {Path: "pages/index/index"}}, link.Options{})
	svc, err := scheme.New(links, st, nil, nil, o)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/?c=spring", nil)
	req.Header.Set("User-Agent", uaIPhone)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		svc.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(cs.writes.Load())/float64(b.N), "writes/op")
}

// BenchmarkOpenRecord: the extra cost of counting an open is the
// difference between the two, on mem (CPU) and on Redis (one round trip).
func BenchmarkOpenRecord(b *testing.B) {
	b.Run("mem/without", func(b *testing.B) { benchOpens(b, "mem://", false) })
	b.Run("mem/with", func(b *testing.B) { benchOpens(b, "mem://", true) })
	if u := os.Getenv("SMSJUMP_TEST_REDIS_URL"); u != "" {
		b.Run("redis/without", func(b *testing.B) { benchOpens(b, u, false) })
		b.Run("redis/with", func(b *testing.B) { benchOpens(b, u, true) })
	}
}

// BenchmarkRecord is Recorder.Record alone on mem: field packing and the
// store's increment.
func BenchmarkRecord(b *testing.B) {
	st, _ := store.Open(b.Context(), "mem://")
	defer st.Close()
	rec, _ := funnel.NewRecorder(st)
	h := funnel.Hit{Campaign: "spring", Code: "AB3DE9FG", Event: funnel.Opened, Platform: funnel.IOS, At: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if err := rec.Record(b.Context(), h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		funnel.Classify(uaWeChat)
	}
}
