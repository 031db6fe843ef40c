package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// Many takers share one rate: what they get together over a span never
// exceeds rate × span + burst, and nearly reaches it.
func TestTokenBucketSharedRate(t *testing.T) {
	backends := map[string]func(t *testing.T) store.Store{
		"mem": func(t *testing.T) store.Store {
			s, err := store.Open(context.Background(), "mem://")
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
		"redis": func(t *testing.T) store.Store {
			u := serverURL(t, "SMSJUMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
			s, err := store.Open(context.Background(), u, store.WithKeyPrefix("tb-"+time.Now().Format("150405.000")+"/"))
			if err != nil {
				t.Fatal(err)
			}
			return s
		},
	}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tb, ok := store.AsTokenBucket(s)
			if !ok {
				t.Fatal("no TokenBucket capability")
			}
			ctx := context.Background()
			const rate, burst = 2000.0, 20
			if _, err := tb.TakeTokens(ctx, "acct", 0, rate, burst); err == nil {
				t.Error("want 0 accepted")
			}
			var total atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			span := 500 * time.Millisecond
			for range 4 {
				wg.Go(func() {
					for time.Since(start) < span {
						n, err := tb.TakeTokens(ctx, "acct", 10, rate, burst)
						if err != nil {
							t.Error(err)
							return
						}
						total.Add(int64(n))
						if n == 0 {
							time.Sleep(2 * time.Millisecond)
						}
					}
				})
			}
			wg.Wait()
			el := time.Since(start).Seconds()
			got, most := float64(total.Load()), rate*el+burst
			if got > most || got < 0.8*rate*span.Seconds() {
				t.Errorf("took %.0f tokens in %.3f s; the rate allows %.0f", got, el, most)
			}
			// Another key is another bucket.
			if n, err := tb.TakeTokens(ctx, "other", burst, rate, burst); err != nil || n != burst {
				t.Errorf("other bucket: %d %v", n, err)
			}
		})
	}
}
