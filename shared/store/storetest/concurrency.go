package storetest

import (
	"bytes"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/smsjump/smsjump/shared/store"
)

// race makes n goroutines call SetIfAbsent on key at once and checks that
// exactly one wins and its value is the one stored.
func race(t *testing.T, s store.Store, key string, n int) {
	t.Helper()
	var (
		wins   atomic.Int32
		winner atomic.Value
		start  = make(chan struct{})
		wg     sync.WaitGroup
		errs   = make(chan error, n)
	)
	for i := range n {
		wg.Go(func() {
			v := fmt.Sprintf("racer-%d", i)
			<-start
			ok, err := s.SetIfAbsent(t.Context(), key, []byte(v), 0)
			if err != nil {
				errs <- err
				return
			}
			if ok {
				wins.Add(1)
				winner.Store(v)
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("SetIfAbsent: %v", err)
	}
	if got := wins.Load(); got != 1 {
		t.Fatalf("%d of %d racers won SetIfAbsent, want exactly 1", got, n)
	}
	mustGet(t, s, key, winner.Load().(string))
}

func testRaceSetIfAbsent(t *testing.T, h *harness) {
	race(t, h.open(t), h.key(t, "k"), h.opts.Racers)
}

// testRaceSetIfAbsentExpired races on a key whose entry expired but may
// still be stored, the case a read-then-write implementation gets wrong.
func testRaceSetIfAbsentExpired(t *testing.T, h *harness) {
	if h.opts.ExpiredCreateNotAtomic {
		t.Skip("backend declares ExpiredCreateNotAtomic")
	}
	s := h.open(t)
	k := h.key(t, "k")
	if err := s.Set(t.Context(), k, []byte("old"), shortTTL); err != nil {
		t.Fatal(err)
	}
	eventually(t, shortTTL+h.opts.ExpirySlack, "value expires", gone(t, s, k))
	race(t, s, k, h.opts.Racers)
}

// testRaceSetIfAbsentGenerations: the same key expires and is raced for
// again, several times. A backend that makes the replacement of each
// expired version a create of its own (COS) must not let one generation's
// bookkeeping block or duplicate the next.
func testRaceSetIfAbsentGenerations(t *testing.T, h *harness) {
	if h.opts.ExpiredCreateNotAtomic {
		t.Skip("backend declares ExpiredCreateNotAtomic")
	}
	s := h.open(t)
	k := h.key(t, "k")
	for gen := range 3 {
		if err := s.Set(t.Context(), k, []byte(fmt.Sprintf("gen-%d", gen)), shortTTL); err != nil {
			t.Fatal(err)
		}
		eventually(t, shortTTL+h.opts.ExpirySlack, "value expires", gone(t, s, k))
		race(t, s, k, h.opts.Racers)
	}
}

// testConcurrentSetGet: writers on their own keys see their own values, and
// readers of a key being overwritten see one whole value, never a mix.
func testConcurrentSetGet(t *testing.T, h *harness) {
	s := h.open(t)
	const workers, keysEach, shared = 8, 20, 4
	hot := h.key(t, "hot")
	fill := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32<<10) }
	if err := s.Set(t.Context(), hot, fill('a'), 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range keysEach {
				k := h.key(t, fmt.Sprintf("w%d-k%d", w, i))
				if err := s.Set(t.Context(), k, []byte(k), 0); err != nil {
					t.Errorf("Set: %v", err)
					return
				}
			}
			for i := range keysEach {
				k := h.key(t, fmt.Sprintf("w%d-k%d", w, i))
				if got, err := s.Get(t.Context(), k); err != nil || string(got) != k {
					t.Errorf("Get(%q) = %q, %v", k, got, err)
				}
			}
		})
	}
	for w := range shared {
		wg.Go(func() {
			for i := range keysEach {
				if err := s.Set(t.Context(), hot, fill(byte('a'+(w+i)%26)), 0); err != nil {
					t.Errorf("Set hot: %v", err)
					return
				}
				got, err := s.Get(t.Context(), hot)
				if err != nil {
					t.Errorf("Get hot: %v", err)
					return
				}
				if len(got) != 32<<10 || !bytes.Equal(got, fill(got[0])) {
					t.Errorf("Get hot returned a torn value of %d bytes", len(got))
					return
				}
			}
		})
	}
	wg.Wait()
}
