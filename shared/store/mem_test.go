package store_test

import (
	"testing"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/store/storetest"
)

func TestMemConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openOrFatal(t, "mem://") })
}

func TestPrefixedConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return openOrFatal(t, "mem://", store.WithKeyPrefix("tenant-a/"))
	})
}

// TestPrefixIsolation: two prefixes over one bolt file see only their own
// keys, and the unprefixed view sees the prefixed names.
func TestPrefixIsolation(t *testing.T) {
	u := boltURL(t)
	a := openOrFatal(t, u, store.WithKeyPrefix("a:"))
	b := openOrFatal(t, u, store.WithKeyPrefix("b:"))
	raw := openOrFatal(t, u)
	for _, s := range []store.Store{a, b, raw} {
		defer s.Close()
	}
	ctx := t.Context()
	if err := a.Set(ctx, "k", []byte("A"), 0); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.SetIfAbsent(ctx, "k", []byte("B"), 0); err != nil || !ok {
		t.Fatalf("b.SetIfAbsent = %v, %v; want true (a's key is not b's)", ok, err)
	}
	for _, tc := range []struct {
		s         store.Store
		key, want string
	}{{a, "k", "A"}, {b, "k", "B"}, {raw, "a:k", "A"}, {raw, "b:k", "B"}} {
		if got, err := tc.s.Get(ctx, tc.key); err != nil || string(got) != tc.want {
			t.Errorf("Get(%q) = %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}
}
