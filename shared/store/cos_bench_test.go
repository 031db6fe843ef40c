package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/cos/costest"
	"github.com/smsjump/smsjump/shared/store"
)

func benchCOSStore(b *testing.B) store.Store {
	cfg := costest.Config(b)
	s, err := store.NewCOS(store.COSConfig{Config: cfg, Prefix: costest.Prefix(b, cfg)}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// reportLatency adds p50 and p99 of the per-operation latencies.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkCOSStoreGet measures Get of a 256-byte value (a cached scheme)
// on the S3 test server: one GetObject per call.
func BenchmarkCOSStoreGet(b *testing.B) {
	s := benchCOSStore(b)
	ctx := b.Context()
	if err := s.Set(ctx, "scheme/abc", make([]byte, 256), time.Hour); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Get(ctx, "scheme/abc"); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

// BenchmarkCOSStoreSet measures Set of a 256-byte value: one PutObject.
func BenchmarkCOSStoreSet(b *testing.B) {
	s := benchCOSStore(b)
	ctx := b.Context()
	v := make([]byte, 256)
	lat := make([]time.Duration, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if err := s.Set(ctx, "scheme/abc", v, time.Hour); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

// BenchmarkCOSStoreSetIfAbsentLost measures the common lease check: the key
// exists, so a create attempt (409/412) is followed by a read.
func BenchmarkCOSStoreSetIfAbsentLost(b *testing.B) {
	s := benchCOSStore(b)
	ctx := b.Context()
	if err := s.Set(ctx, "lease", []byte("holder"), time.Hour); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		if ok, err := s.SetIfAbsent(ctx, "lease", []byte("me"), time.Hour); err != nil || ok {
			b.Fatal(ok, err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}
