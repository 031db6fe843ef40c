package storetest

import (
	"errors"
	"testing"

	"github.com/smsjump/smsjump/shared/store"
)

// gone reports whether key is absent, for eventually.
func gone(t *testing.T, s store.Store, key string) func() (bool, error) {
	return func() (bool, error) {
		_, err := s.Get(t.Context(), key)
		if errors.Is(err, store.ErrNotFound) {
			return true, nil
		}
		return false, err
	}
}

func mustGet(t *testing.T, s store.Store, key, want string) {
	t.Helper()
	got, err := s.Get(t.Context(), key)
	if err != nil || string(got) != want {
		t.Fatalf("Get(%q) = %q, %v; want %q", key, got, err, want)
	}
}

// testTTLExpiry: Set and SetIfAbsent with a TTL expire; TTL 0 does not.
// Timing is only bounded from above (TTL + slack), never asserted exactly.
func testTTLExpiry(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	forever, viaSet, viaCreate := h.key(t, "forever"), h.key(t, "set"), h.key(t, "create")
	if err := s.Set(ctx, forever, []byte("f"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, viaSet, []byte("s"), shortTTL); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SetIfAbsent(ctx, viaCreate, []byte("c"), shortTTL); err != nil || !ok {
		t.Fatalf("SetIfAbsent = %v, %v", ok, err)
	}
	mustGet(t, s, viaSet, "s")
	mustGet(t, s, viaCreate, "c")
	within := shortTTL + h.opts.ExpirySlack
	eventually(t, within, "value set with a TTL expires", gone(t, s, viaSet))
	eventually(t, within, "value created with a TTL expires", gone(t, s, viaCreate))
	mustGet(t, s, forever, "f")
}

// testOverwriteClearsTTL: Set replaces the TTL along with the value.
func testOverwriteClearsTTL(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k, probe := h.key(t, "k"), h.key(t, "probe")
	if err := s.Set(ctx, k, []byte("a"), shortTTL); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, k, []byte("b"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Set(ctx, probe, []byte("p"), shortTTL); err != nil {
		t.Fatal(err)
	}
	eventually(t, shortTTL+h.opts.ExpirySlack, "probe expires", gone(t, s, probe))
	mustGet(t, s, k, "b")
}

func testSetIfAbsent(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k := h.key(t, "k")
	ok, err := s.SetIfAbsent(ctx, k, []byte("first"), 0)
	if err != nil || !ok {
		t.Fatalf("SetIfAbsent on an absent key = %v, %v; want true", ok, err)
	}
	ok, err = s.SetIfAbsent(ctx, k, []byte("second"), 0)
	if err != nil || ok {
		t.Fatalf("SetIfAbsent on a present key = %v, %v; want false", ok, err)
	}
	mustGet(t, s, k, "first")
}

// testSetIfAbsentExpired: an expired entry counts as absent.
func testSetIfAbsentExpired(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k := h.key(t, "k")
	if err := s.Set(ctx, k, []byte("old"), shortTTL); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SetIfAbsent(ctx, k, []byte("early"), 0); err != nil || ok {
		t.Fatalf("SetIfAbsent before expiry = %v, %v; want false", ok, err)
	}
	eventually(t, shortTTL+h.opts.ExpirySlack, "value expires", gone(t, s, k))
	if ok, err := s.SetIfAbsent(ctx, k, []byte("new"), 0); err != nil || !ok {
		t.Fatalf("SetIfAbsent after expiry = %v, %v; want true", ok, err)
	}
	mustGet(t, s, k, "new")
}
