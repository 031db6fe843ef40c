package store_test

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/smsjump/smsjump/shared/store"
)

// A token bucket is judged by its own clock (Redis refills by the server's
// TIME, mem by the process's monotonic clock), read before and after, so
// the bounds below hold however slowly a loaded machine runs the takers.
type bucketBackend struct {
	open  func(t *testing.T) store.Store
	clock func(t *testing.T) time.Time
}

func bucketBackends() map[string]bucketBackend {
	return map[string]bucketBackend{
		"mem": {
			open: func(t *testing.T) store.Store {
				s, err := store.Open(context.Background(), "mem://")
				if err != nil {
					t.Fatal(err)
				}
				return s
			},
			clock: func(*testing.T) time.Time { return time.Now() },
		},
		"redis": {
			open: func(t *testing.T) store.Store {
				u := serverURL(t, "SMSJUMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
				s, err := store.Open(context.Background(), u, store.WithKeyPrefix("tb-"+time.Now().Format("150405.000000")+"/"))
				if err != nil {
					t.Fatal(err)
				}
				return s
			},
			clock: func(t *testing.T) time.Time {
				opts, err := redis.ParseURL(serverURL(t, "SMSJUMP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
				if err != nil {
					t.Fatal(err)
				}
				c := redis.NewClient(opts)
				defer c.Close()
				now, err := c.Time(context.Background()).Result()
				if err != nil {
					t.Fatal(err)
				}
				return now
			},
		},
	}
}

// Many takers share one rate: what they get together between two readings
// of the bucket's clock never exceeds rate × elapsed + burst.
func TestTokenBucketSharedRate(t *testing.T) {
	for name, b := range bucketBackends() {
		t.Run(name, func(t *testing.T) {
			s := b.open(t)
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
			t0 := b.clock(t) // the bucket is created full (burst) after this
			start := time.Now()
			for range 4 {
				wg.Go(func() {
					for time.Since(start) < 500*time.Millisecond {
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
			el := b.clock(t).Sub(t0).Seconds()
			got, most := float64(total.Load()), rate*el+burst
			if got > most || got < burst {
				t.Errorf("took %.0f tokens in %.6f s of the bucket's clock; the rate allows %.3f", got, el, most)
			}
			// Another key is another bucket.
			if n, err := tb.TakeTokens(ctx, "other", burst, rate, burst); err != nil || n != burst {
				t.Errorf("other bucket: %d %v", n, err)
			}
		})
	}
}

// A drained bucket refills at the rate: after a pause it gives at least
// what that pause earned on the bucket's clock (up to the burst).
func TestTokenBucketRefillsAtRate(t *testing.T) {
	for name, b := range bucketBackends() {
		t.Run(name, func(t *testing.T) {
			s := b.open(t)
			defer s.Close()
			tb, _ := store.AsTokenBucket(s)
			ctx := context.Background()
			const rate, burst = 2000.0, 1000
			if n, err := tb.TakeTokens(ctx, "refill", burst, rate, burst); err != nil || n != burst {
				t.Fatalf("a new bucket is full: took %d, %v", n, err)
			}
			drained := b.clock(t)
			time.Sleep(100 * time.Millisecond)
			before := b.clock(t)
			n, err := tb.TakeTokens(ctx, "refill", burst, rate, burst)
			if err != nil {
				t.Fatal(err)
			}
			earned := min(burst, int(math.Floor(rate*before.Sub(drained).Seconds())))
			if n < earned {
				t.Errorf("took %d after %v of the bucket's clock; the refill owes at least %d", n, before.Sub(drained), earned)
			}
		})
	}
}
