package storetest

import (
	"errors"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// counter returns the store's Counter capability or fails: every backend
// is expected to have one (the funnel depends on it).
func (h *harness) counter(t *testing.T) (store.Store, store.Counter) {
	t.Helper()
	if h.opts.NoListing {
		t.Skip("backend declares NoListing: counters are summed from a listing")
	}
	s := h.open(t)
	c, ok := store.AsCounter(s)
	if !ok {
		t.Fatalf("%T has no Counter capability", s)
	}
	return s, c
}

func mustCounts(t *testing.T, c store.Counter, key string, want map[string]int64) {
	t.Helper()
	got, err := c.Counts(t.Context(), key)
	if err != nil {
		t.Fatalf("Counts(%q): %v", key, err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("Counts(%q) = %v, want %v", key, got, want)
	}
}

// testCounterBasics: fields add up independently, negative deltas work,
// an absent key is empty, and counters do not collide with values.
func testCounterBasics(t *testing.T, h *harness) {
	s, c := h.counter(t)
	ctx := t.Context()
	k := h.key(t, "k")
	mustCounts(t, c, k, map[string]int64{})
	for _, step := range []struct {
		field string
		delta int64
	}{{"opened.ios", 1}, {"opened.ios", 2}, {"jumped.android.2026112804.AB12CD", 1}, {"opened.ios", -1}} {
		if err := c.Incr(ctx, k, step.field, step.delta, 0); err != nil {
			t.Fatalf("Incr(%q, %d): %v", step.field, step.delta, err)
		}
	}
	mustCounts(t, c, k, map[string]int64{"opened.ios": 2, "jumped.android.2026112804.AB12CD": 1})
	if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get of a counter key = %v, want ErrNotFound (separate namespaces)", err)
	}
	if err := s.Set(ctx, k, []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	mustCounts(t, c, k, map[string]int64{"opened.ios": 2, "jumped.android.2026112804.AB12CD": 1})
	mustGet(t, s, k, "v")
}

func testCounterInvalid(t *testing.T, h *harness) {
	_, c := h.counter(t)
	ctx := t.Context()
	k := h.key(t, "k")
	for _, field := range []string{"", "a b", "a/b", "50%", "a~b", "中文", string(make([]byte, store.MaxFieldLen+1))} {
		if err := c.Incr(ctx, k, field, 1, 0); !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("Incr(field %q) = %v, want ErrInvalidArgument", field, err)
		}
	}
	if err := c.Incr(ctx, "", "f", 1, 0); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("Incr(empty key) = %v, want ErrInvalidArgument", err)
	}
	if err := c.Incr(ctx, k, "f", 1, -time.Second); !errors.Is(err, store.ErrInvalidArgument) {
		t.Errorf("Incr(negative ttl) = %v, want ErrInvalidArgument", err)
	}
	mustCounts(t, c, k, map[string]int64{})
}

// testCounterConcurrent: increments from many goroutines at once are all
// counted. (Across processes: the funnel's 8-instance test.)
func testCounterConcurrent(t *testing.T, h *harness) {
	_, c := h.counter(t)
	k := h.key(t, "k")
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for i := range each {
				field := "even"
				if i%2 == 1 {
					field = "odd"
				}
				if err := c.Incr(t.Context(), k, field, 1, time.Hour); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("Incr: %v", err)
	}
	mustCounts(t, c, k, map[string]int64{"even": workers * 13, "odd": workers * 12})
}

// testCounterTTL: increments made with a TTL are gone after it (plus the
// slack); a key without TTL stays.
func testCounterTTL(t *testing.T, h *harness) {
	_, c := h.counter(t)
	ctx := t.Context()
	short, forever := h.key(t, "short"), h.key(t, "forever")
	if err := c.Incr(ctx, short, "f", 3, time.Second); err != nil {
		t.Fatal(err)
	}
	if err := c.Incr(ctx, forever, "f", 5, 0); err != nil {
		t.Fatal(err)
	}
	eventually(t, time.Second+h.opts.ExpirySlack+time.Second, "short-lived counter expires", func() (bool, error) {
		got, err := c.Counts(ctx, short)
		return len(got) == 0, err
	})
	mustCounts(t, c, forever, map[string]int64{"f": 5})
}
