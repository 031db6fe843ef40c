package store

import (
	"context"
	"time"
)

// memCounter is one counter key of the mem backend.
type memCounter struct {
	fields map[string]int64
	expiry time.Time // zero: none
}

func (s *mem) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	if err := checkIncr(key, field, ttl); err != nil {
		return err
	}
	if err := s.begin(ctx, "incr"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	now := s.now()
	c := s.counters[key]
	if c == nil || (!c.expiry.IsZero() && !now.Before(c.expiry)) {
		c = &memCounter{fields: make(map[string]int64)}
		if s.counters == nil {
			s.counters = make(map[string]*memCounter)
		}
		s.counters[key] = c
	}
	c.fields[field] += delta
	c.expiry = time.Time{}
	if ttl > 0 {
		c.expiry = now.Add(ttl)
	}
	return nil
}

func (s *mem) Counts(ctx context.Context, key string) (map[string]int64, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.begin(ctx, "counts"); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	out := make(map[string]int64)
	c := s.counters[key]
	if c == nil || (!c.expiry.IsZero() && !s.now().Before(c.expiry)) {
		return out, nil
	}
	for f, n := range c.fields {
		out[f] = n
	}
	return out, nil
}
