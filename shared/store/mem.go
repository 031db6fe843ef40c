package store

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"
)

// memSweepEvery is how often (by the store's clock) a write also drops every
// expired entry. Reads already hide expired entries; the sweep only bounds
// memory held by keys nobody reads again.
const memSweepEvery = time.Minute

// memEntry is a value and its expiry; a zero expiry never expires.
type memEntry struct {
	value  []byte
	expiry time.Time
}

func (e memEntry) expired(now time.Time) bool {
	return !e.expiry.IsZero() && !now.Before(e.expiry)
}

// mem is the process-local backend: a map behind a mutex. It is meant for
// tests and single-process runs; nothing survives the process.
type mem struct {
	now func() time.Time

	mu        sync.Mutex
	m         map[string]memEntry
	counters  map[string]*memCounter
	buckets   map[string]*memBucket
	lastSweep time.Time
	closed    bool
}

func openMem(u *url.URL, o options) (Store, error) {
	if u.Host != "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("%w: mem:// takes no host, path or parameters (got %q); use mem://",
			ErrConfig, redactedURL(u))
	}
	return newMem(o.now), nil
}

func newMem(now func() time.Time) *mem {
	return &mem{now: now, m: make(map[string]memEntry), lastSweep: now()}
}

// begin checks the call and takes the lock; the caller must unlock.
func (s *mem) begin(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: mem %s: %w", op, err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("store: mem %s: %w", op, ErrClosed)
	}
	return nil
}

func (s *mem) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.begin(ctx, "get"); err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	e, ok := s.m[key]
	if !ok || e.expired(s.now()) {
		return nil, ErrNotFound
	}
	// Copy out: the caller owns the result and may modify it.
	return append([]byte{}, e.value...), nil
}

func (s *mem) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkWrite(key, ttl); err != nil {
		return err
	}
	if err := s.begin(ctx, "set"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	s.put(key, value, ttl)
	return nil
}

func (s *mem) SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := checkWrite(key, ttl); err != nil {
		return false, err
	}
	if err := s.begin(ctx, "set-if-absent"); err != nil {
		return false, err
	}
	defer s.mu.Unlock()
	if e, ok := s.m[key]; ok && !e.expired(s.now()) {
		return false, nil
	}
	s.put(key, value, ttl)
	return true, nil
}

func (s *mem) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.begin(ctx, "delete"); err != nil {
		return err
	}
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

// Close drops the data; later calls return ErrClosed.
func (s *mem) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.m = nil
	s.counters = nil
	return nil
}

// put stores a copy of value; s.mu must be held.
func (s *mem) put(key string, value []byte, ttl time.Duration) {
	now := s.now()
	e := memEntry{value: append([]byte{}, value...)}
	if ttl > 0 {
		e.expiry = now.Add(ttl)
	}
	s.m[key] = e
	if now.Sub(s.lastSweep) >= memSweepEvery {
		s.sweep(now)
	}
}

// sweep deletes expired entries; s.mu must be held.
func (s *mem) sweep(now time.Time) {
	for k, e := range s.m {
		if e.expired(now) {
			delete(s.m, k)
		}
	}
	s.lastSweep = now
}

// len counts the entries held, expired or not, for tests of the sweep.
func (s *mem) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
