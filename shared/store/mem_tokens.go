package store

import (
	"context"
	"time"
)

type memBucket struct {
	tokens float64
	last   time.Time
}

func (s *mem) TakeTokens(ctx context.Context, key string, want int, rate float64, burst int) (int, error) {
	if err := checkTake(key, want, rate, burst); err != nil {
		return 0, err
	}
	if err := s.begin(ctx, "take tokens"); err != nil {
		return 0, err
	}
	defer s.mu.Unlock()
	// Wall time, not s.now: a bucket refills with real seconds.
	now := time.Now()
	if s.buckets == nil {
		s.buckets = make(map[string]*memBucket)
	}
	b := s.buckets[key]
	if b == nil {
		b = &memBucket{}
		s.buckets[key] = b
	}
	b.tokens = refill(b.tokens, b.last, now, rate, burst)
	b.last = now
	got := min(want, int(b.tokens))
	b.tokens -= float64(got)
	return got, nil
}
