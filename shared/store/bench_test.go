package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// benchKeys is the working set: small enough to stay in any cache, like the
// token, scheme-cache and campaign keys the functions read.
const benchKeys = 1000

var benchValue = make([]byte, 256)

type benchBackend struct {
	name string
	open func(b *testing.B) store.Store
}

func benchBackends() []benchBackend {
	return []benchBackend{
		{"mem", func(b *testing.B) store.Store { return openOrFatal(b, "mem://") }},
		{"bolt", func(b *testing.B) store.Store { return openOrFatal(b, boltURL(b)) }},
		{"redis", func(b *testing.B) store.Store {
			u := serverURL(b, redisEnv, redisExample)
			return openOrFatal(b, u, store.WithKeyPrefix(fmt.Sprintf("bench-%d:", time.Now().UnixNano())))
		}},
	}
}

// seeded opens a backend holding benchKeys keys and returns them.
func seeded(b *testing.B, be benchBackend) (store.Store, []string) {
	b.Helper()
	s := be.open(b)
	keys := make([]string, benchKeys)
	for i := range keys {
		keys[i] = fmt.Sprintf("campaign/spring-%04d", i)
		if err := s.Set(context.Background(), keys[i], benchValue, 0); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() {
		for _, k := range keys {
			s.Delete(context.Background(), k)
		}
		s.Close()
	})
	return s, keys
}

func BenchmarkGet(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s, keys := seeded(b, be)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Get(ctx, keys[i%len(keys)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkSet(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s, keys := seeded(b, be)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := s.Set(ctx, keys[i%len(keys)], benchValue, time.Hour); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkSetIfAbsent measures both outcomes: a lease already held (the
// common case under retries) and a fresh create.
func BenchmarkSetIfAbsent(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name+"/exists", func(b *testing.B) {
			s, keys := seeded(b, be)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if ok, err := s.SetIfAbsent(ctx, keys[i%len(keys)], benchValue, 0); err != nil || ok {
					b.Fatal(ok, err)
				}
				i++
			}
		})
		b.Run(be.name+"/create", func(b *testing.B) {
			s, _ := seeded(b, be)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				// Short TTL so Redis and the bolt sweep drop them again.
				if ok, err := s.SetIfAbsent(ctx, fmt.Sprint("lease/", i), benchValue, time.Minute); err != nil || !ok {
					b.Fatal(ok, err)
				}
				i++
			}
		})
	}
}

// BenchmarkGetParallel shows the in-process handle sharing of the bolt
// backend: parallel readers share one open file instead of queueing on it.
func BenchmarkGetParallel(b *testing.B) {
	for _, be := range benchBackends() {
		b.Run(be.name, func(b *testing.B) {
			s, keys := seeded(b, be)
			b.ReportAllocs()
			b.ResetTimer() // RunParallel, unlike b.Loop, would time the seeding
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				i := 0
				for pb.Next() {
					if _, err := s.Get(ctx, keys[i%len(keys)]); err != nil {
						b.Error(err)
						return
					}
					i++
				}
			})
		})
	}
}

// BenchmarkLatency reports the p50 and p99 of single calls, which matter
// more than the mean for a request path (get-scheme answers a tap).
func BenchmarkLatency(b *testing.B) {
	for _, be := range benchBackends() {
		for _, op := range []string{"get", "set"} {
			b.Run(be.name+"/"+op, func(b *testing.B) {
				s, keys := seeded(b, be)
				ctx := context.Background()
				lat := make([]time.Duration, 0, 1024)
				i := 0
				b.ReportAllocs()
				for b.Loop() {
					k := keys[i%len(keys)]
					i++
					start := time.Now()
					var err error
					if op == "get" {
						_, err = s.Get(ctx, k)
					} else {
						err = s.Set(ctx, k, benchValue, 0)
					}
					lat = append(lat, time.Since(start))
					if err != nil {
						b.Fatal(err)
					}
				}
				reportPercentiles(b, lat)
			})
		}
	}
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
