package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/store"
)

// weirdKeys must each be stored under exactly themselves: no two may
// collide after whatever escaping a backend does (COS object names, file
// paths). They are used verbatim, without the run's namespace.
var weirdKeys = []string{
	"春节/活动-2026",
	"a/b/c",
	"a%2Fb",
	"a_b",
	"with space",
	"Key",
	"key",
	strings.Repeat("k", 200),
	strings.Repeat("春", 150),
	"..",
	".",
	"../escape",
	"/leading",
	"trailing/",
	"//double//slash",
	"?query=1&x=2",
	"#fragment",
	"plus+sign",
	"back\\slash",
	`quote"'`,
	"<xml>&amp;",
	"emoji😀",
}

func testWeirdKeys(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	// Not t.Context(): it is already canceled when cleanups run.
	cleanup := func() {
		for _, k := range weirdKeys {
			if err := s.Delete(context.Background(), k); err != nil {
				t.Errorf("Delete(%q): %v", k, err)
			}
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	value := func(i int) []byte { return fmt.Appendf(nil, "value-%d", i) }
	for i, k := range weirdKeys {
		if err := s.Set(ctx, k, value(i), 0); err != nil {
			t.Fatalf("Set(%q): %v", k, err)
		}
	}
	// Read only after every Set, so a collision shows as a wrong value.
	for i, k := range weirdKeys {
		got, err := s.Get(ctx, k)
		if err != nil || string(got) != string(value(i)) {
			t.Errorf("Get(%q) = %q, %v; want %q", k, got, err, value(i))
		}
		if ok, err := s.SetIfAbsent(ctx, k, []byte("other"), 0); err != nil || ok {
			t.Errorf("SetIfAbsent(%q) over a value = %v, %v", k, ok, err)
		}
	}
	for _, k := range weirdKeys {
		if err := s.Delete(ctx, k); err != nil {
			t.Fatalf("Delete(%q): %v", k, err)
		}
		if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get(%q) after Delete: err = %v", k, err)
		}
	}
}
