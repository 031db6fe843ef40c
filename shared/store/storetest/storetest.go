// Package storetest is the conformance suite every store backend must pass:
// one table of behaviours (missing keys, TTLs, atomic create under races,
// weird keys, cancellation) run against mem, bolt, Redis and COS alike.
package storetest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// Options declares what a backend cannot promise, so the suite adjusts to it
// in one visible place instead of the backend skipping tests silently.
type Options struct {
	// ExpirySlack is how long past its TTL an entry may still be visible,
	// for backends whose expiry is coarse or clock-skewed. Default 3s.
	ExpirySlack time.Duration
	// MaxValueBytes is the largest value the backend stores, if under 1 MiB;
	// the large-value test then uses this size. 0 means 1 MiB works.
	MaxValueBytes int
	// Racers is how many goroutines race SetIfAbsent on one key. Default 50;
	// lower it only for a backend rate-limited below that.
	Racers int
	// ExpiredCreateNotAtomic: SetIfAbsent on a key whose entry has expired
	// but still exists may let more than one concurrent caller win. The
	// single-caller behaviour is still tested.
	ExpiredCreateNotAtomic bool
	// CloseNotEnforced: operations after Close may still succeed.
	CloseNotEnforced bool
	// NoListing: the server behind the backend cannot list objects (the
	// in-process COS fake), so the Counter behaviours are skipped.
	NoListing bool
}

func (o Options) withDefaults() Options {
	if o.ExpirySlack <= 0 {
		o.ExpirySlack = 3 * time.Second
	}
	if o.MaxValueBytes <= 0 || o.MaxValueBytes > 1<<20 {
		o.MaxValueBytes = 1 << 20
	}
	if o.Racers <= 0 {
		o.Racers = 50
	}
	return o
}

// shortTTL is long enough for a Set followed by a Get to see the value on a
// loaded machine, short enough to keep the suite quick.
const shortTTL = 1500 * time.Millisecond

// Run runs the suite with default Options. newStore must return a new,
// open Store; the suite closes it. Stores may share data (one Redis
// database): the suite uses keys unique to the run, except in the weird-keys
// test, which deletes its exact keys before and after.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	t.Helper()
	RunWith(t, newStore, Options{})
}

// RunWith runs the suite with the backend's declared limitations.
func RunWith(t *testing.T, newStore func(t *testing.T) store.Store, opts Options) {
	t.Helper()
	h := &harness{newStore: newStore, opts: opts.withDefaults(), run: randomHex(4)}
	behaviours := []struct {
		name string
		fn   func(t *testing.T, h *harness)
	}{
		{"GetMissing", testGetMissing},
		{"SetGet", testSetGet},
		{"ValueIsolation", testValueIsolation},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"EmptyValue", testEmptyValue},
		{"LargeValue", testLargeValue},
		{"InvalidArguments", testInvalidArguments},
		{"Closed", testClosed},
		{"CanceledContext", testCanceledContext},
		{"WeirdKeys", testWeirdKeys},
		{"TTLExpiry", testTTLExpiry},
		{"OverwriteClearsTTL", testOverwriteClearsTTL},
		{"SetIfAbsent", testSetIfAbsent},
		{"SetIfAbsentExpired", testSetIfAbsentExpired},
		{"RaceSetIfAbsent", testRaceSetIfAbsent},
		{"RaceSetIfAbsentExpired", testRaceSetIfAbsentExpired},
		{"RaceSetIfAbsentGenerations", testRaceSetIfAbsentGenerations},
		{"ConcurrentSetGet", testConcurrentSetGet},
		{"CounterBasics", testCounterBasics},
		{"CounterInvalid", testCounterInvalid},
		{"CounterConcurrent", testCounterConcurrent},
		{"CounterTTL", testCounterTTL},
	}
	// The group returns only when its parallel subtests are done, so Run
	// behaves like an ordinary sequential call for its caller.
	t.Run("storetest", func(t *testing.T) {
		for _, b := range behaviours {
			t.Run(b.name, func(t *testing.T) {
				t.Parallel()
				b.fn(t, h)
			})
		}
	})
}

// harness gives each behaviour a fresh store and run-unique keys.
type harness struct {
	newStore func(t *testing.T) store.Store
	opts     Options
	run      string
}

// open returns a new store closed at the end of t.
func (h *harness) open(t *testing.T) store.Store {
	t.Helper()
	s := h.newStore(t)
	if s == nil {
		t.Fatal("newStore returned nil")
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// key returns a key unique to this run and test, so that backends sharing
// data across runs (Redis) start every test from absent keys.
func (h *harness) key(t *testing.T, name string) string {
	return fmt.Sprintf("storetest/%s/%s/%s", h.run, t.Name(), name)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// eventually polls cond until it returns true or within elapses.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := cond()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still false after %v", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
