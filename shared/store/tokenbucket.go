package store

import (
	"context"
	"fmt"
	"math"
	"time"
)

// TokenBucket is a capability of backends that can keep one token bucket
// for every instance at once (Redis, and mem within a process): the send
// jobs of an account share its SendSms rate through it. Backends without
// it (bolt, COS) cannot refill and take atomically across instances; the
// caller falls back to a per-process rate and says so.
type TokenBucket interface {
	// TakeTokens takes up to want tokens from the bucket key, which refills
	// at rate tokens per second up to burst, and returns how many it got
	// (0 when empty). The bucket's clock is the backend's, so instances
	// with skewed clocks still share one rate.
	TakeTokens(ctx context.Context, key string, want int, rate float64, burst int) (int, error)
}

// AsTokenBucket returns s's TokenBucket capability, if it has one.
func AsTokenBucket(s Store) (TokenBucket, bool) {
	if p, ok := s.(*prefixed); ok {
		tb, ok := AsTokenBucket(p.Store)
		if !ok {
			return nil, false
		}
		return prefixedBucket{tb: tb, prefix: p.prefix}, true
	}
	tb, ok := s.(TokenBucket)
	return tb, ok
}

type prefixedBucket struct {
	tb     TokenBucket
	prefix string
}

func (p prefixedBucket) TakeTokens(ctx context.Context, key string, want int, rate float64, burst int) (int, error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	return p.tb.TakeTokens(ctx, p.prefix+key, want, rate, burst)
}

func checkTake(key string, want int, rate float64, burst int) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if want < 1 || burst < 1 || !(rate > 0) || math.IsInf(rate, 0) {
		return fmt.Errorf("%w: token bucket wants want ≥ 1, burst ≥ 1 and a positive rate (got %d, %d, %v)", ErrInvalidArgument, want, burst, rate)
	}
	return nil
}

// refill is the token arithmetic shared by the in-process backends.
func refill(tokens float64, last, now time.Time, rate float64, burst int) float64 {
	if !last.IsZero() && now.After(last) {
		tokens += now.Sub(last).Seconds() * rate
	} else if last.IsZero() {
		tokens = float64(burst)
	}
	return min(tokens, float64(burst))
}
