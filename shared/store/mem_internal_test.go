package store

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fakeClock is a manual clock for WithClock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 2, 17, 8, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestMemExpiryBoundary pins the expiry instant with a fake clock: a value
// is visible strictly before now+ttl and gone from now+ttl on.
func TestMemExpiryBoundary(t *testing.T) {
	clock := newFakeClock()
	s := newMem(clock.Now)
	ctx := t.Context()
	if err := s.Set(ctx, "k", []byte("v"), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		advance time.Duration
		present bool
	}{
		{0, true},
		{10*time.Second - time.Nanosecond, true},
		{time.Nanosecond, false},
		{time.Hour, false},
	}
	for i, st := range steps {
		clock.Advance(st.advance)
		_, err := s.Get(ctx, "k")
		if present := err == nil; present != st.present {
			t.Fatalf("step %d: present = %v (err %v), want %v", i, present, err, st.present)
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if ok, err := s.SetIfAbsent(ctx, "k", []byte("new"), 0); err != nil || !ok {
		t.Fatalf("SetIfAbsent on expired = %v, %v", ok, err)
	}
}

// TestMemSweep: expired entries stay until a write after memSweepEvery
// removes them all; live ones stay.
func TestMemSweep(t *testing.T) {
	clock := newFakeClock()
	s := newMem(clock.Now)
	ctx := t.Context()
	for i := range 100 {
		if err := s.Set(ctx, fmt.Sprint("short/", i), []byte("v"), time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(ctx, "long", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second)
	if err := s.Set(ctx, "trigger", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if n := s.len(); n != 102 {
		t.Fatalf("before the sweep interval: %d entries held, want 102 (lazy expiry)", n)
	}
	clock.Advance(memSweepEvery)
	if err := s.Set(ctx, "trigger", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if n := s.len(); n != 2 {
		t.Fatalf("after the sweep: %d entries held, want 2", n)
	}
}

func TestMemURL(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{"mem://", true},
		{"mem:///", true},
		{"mem://host", false},
		{"mem:///path", false},
		{"mem://?x=1", false},
	} {
		u, err := url.Parse(tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = openMem(u, buildOptions(nil))
		if (err == nil) != tc.ok {
			t.Errorf("openMem(%q) err = %v, want ok=%v", tc.raw, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrConfig) {
			t.Errorf("openMem(%q) err = %v, want ErrConfig", tc.raw, err)
		}
	}
}
