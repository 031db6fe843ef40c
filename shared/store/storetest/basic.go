package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

func testGetMissing(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	v, err := s.Get(ctx, h.key(t, "never-set"))
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get missing: err = %v, want ErrNotFound", err)
	}
	if v != nil {
		t.Errorf("Get missing returned value %q", v)
	}
}

func testSetGet(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	values := []struct {
		name  string
		value []byte
	}{
		{"ascii", []byte("hello")},
		{"chinese", []byte("春节快乐，点击链接打开小程序")},
		{"json", []byte(`{"openlink":"weixin://dl/business/?t=abc","expires_at":1767225600}`)},
		{"every-byte", all},
		{"nul-only", []byte{0}},
		{"invalid-utf8", []byte{0xff, 0xfe, 0xfd}},
	}
	for _, tc := range values {
		k := h.key(t, tc.name)
		if err := s.Set(ctx, k, tc.value, 0); err != nil {
			t.Fatalf("Set %s: %v", tc.name, err)
		}
		got, err := s.Get(ctx, k)
		if err != nil {
			t.Fatalf("Get %s: %v", tc.name, err)
		}
		if !bytes.Equal(got, tc.value) {
			t.Errorf("Get %s = %x, want %x", tc.name, got, tc.value)
		}
	}
}

// testValueIsolation: the store must own its copy; callers reuse buffers.
func testValueIsolation(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k := h.key(t, "k")
	in := []byte("abc")
	if err := s.Set(ctx, k, in, 0); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X'
	got, err := s.Get(ctx, k)
	if err != nil || string(got) != "abc" {
		t.Fatalf("after caller modified its input: Get = %q, %v; want \"abc\"", got, err)
	}
	got[0] = 'Y'
	again, err := s.Get(ctx, k)
	if err != nil || string(again) != "abc" {
		t.Fatalf("after caller modified a result: Get = %q, %v; want \"abc\"", again, err)
	}
}

func testOverwrite(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k := h.key(t, "k")
	for _, v := range []string{"first", "second, longer than the first", "3"} {
		if err := s.Set(ctx, k, []byte(v), 0); err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, k)
		if err != nil || string(got) != v {
			t.Fatalf("Get after Set(%q) = %q, %v", v, got, err)
		}
	}
}

func testDelete(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	k := h.key(t, "k")
	if err := s.Delete(ctx, h.key(t, "never-set")); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if err := s.Set(ctx, k, []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, k); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	ok, err := s.SetIfAbsent(ctx, k, []byte("again"), 0)
	if err != nil || !ok {
		t.Fatalf("SetIfAbsent after Delete = %v, %v; want true", ok, err)
	}
}

// testEmptyValue: an empty value is present, unlike a missing key.
func testEmptyValue(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	for name, v := range map[string][]byte{"empty": {}, "nil": nil} {
		k := h.key(t, name)
		if err := s.Set(ctx, k, v, 0); err != nil {
			t.Fatalf("Set %s: %v", name, err)
		}
		got, err := s.Get(ctx, k)
		if err != nil {
			t.Fatalf("Get of %s value: %v, want no error", name, err)
		}
		if len(got) != 0 {
			t.Errorf("Get of %s value = %q", name, got)
		}
		ok, err := s.SetIfAbsent(ctx, k, []byte("x"), 0)
		if err != nil || ok {
			t.Errorf("SetIfAbsent over %s value = %v, %v; want false", name, ok, err)
		}
	}
}

func testLargeValue(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	v := make([]byte, h.opts.MaxValueBytes)
	_, _ = rand.Read(v)
	k := h.key(t, "set")
	if err := s.Set(ctx, k, v, 0); err != nil {
		t.Fatalf("Set of %d bytes: %v", len(v), err)
	}
	got, err := s.Get(ctx, k)
	if err != nil || !bytes.Equal(got, v) {
		t.Fatalf("Get of %d bytes: got %d bytes, err %v", len(v), len(got), err)
	}
	k2 := h.key(t, "create")
	if ok, err := s.SetIfAbsent(ctx, k2, v, time.Hour); err != nil || !ok {
		t.Fatalf("SetIfAbsent of %d bytes = %v, %v", len(v), ok, err)
	}
	got, err = s.Get(ctx, k2)
	if err != nil || !bytes.Equal(got, v) {
		t.Fatalf("Get of created %d bytes: got %d bytes, err %v", len(v), len(got), err)
	}
}

func testInvalidArguments(t *testing.T, h *harness) {
	s, ctx := h.open(t), t.Context()
	long := strings.Repeat("k", store.MaxKeyLen+1)
	ok := h.key(t, "ok")
	cases := []struct {
		name string
		call func() error
	}{
		{"Get empty key", func() error { _, err := s.Get(ctx, ""); return err }},
		{"Set empty key", func() error { return s.Set(ctx, "", []byte("v"), 0) }},
		{"SetIfAbsent empty key", func() error { _, err := s.SetIfAbsent(ctx, "", []byte("v"), 0); return err }},
		{"Delete empty key", func() error { return s.Delete(ctx, "") }},
		{"Get long key", func() error { _, err := s.Get(ctx, long); return err }},
		{"Set long key", func() error { return s.Set(ctx, long, []byte("v"), 0) }},
		{"Set negative ttl", func() error { return s.Set(ctx, ok, []byte("v"), -time.Second) }},
		{"SetIfAbsent negative ttl", func() error { _, err := s.SetIfAbsent(ctx, ok, []byte("v"), -time.Second); return err }},
	}
	for _, tc := range cases {
		if err := tc.call(); !errors.Is(err, store.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", tc.name, err)
		}
	}
	if _, err := s.Get(ctx, ok); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a rejected Set wrote anyway: Get err = %v", err)
	}
}

func testClosed(t *testing.T, h *harness) {
	s := h.newStore(t)
	ctx := t.Context()
	k := h.key(t, "k")
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if h.opts.CloseNotEnforced {
		return
	}
	calls := map[string]func() error{
		"Get":         func() error { _, err := s.Get(ctx, k); return err },
		"Set":         func() error { return s.Set(ctx, k, []byte("v"), 0) },
		"SetIfAbsent": func() error { _, err := s.SetIfAbsent(ctx, k, []byte("v"), 0); return err },
		"Delete":      func() error { return s.Delete(ctx, k) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after Close: err = %v, want ErrClosed", name, err)
		}
	}
}

// testCanceledContext: a call made with a dead context fails with the
// context's error and has no effect.
func testCanceledContext(t *testing.T, h *harness) {
	s := h.open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	k := h.key(t, "k")
	calls := []struct {
		name string
		call func() error
	}{
		{"Set", func() error { return s.Set(ctx, k, []byte("v"), 0) }},
		{"SetIfAbsent", func() error { _, err := s.SetIfAbsent(ctx, k, []byte("v"), 0); return err }},
		{"Get", func() error { _, err := s.Get(ctx, k); return err }},
		{"Delete", func() error { return s.Delete(ctx, k) }},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: err = %v, want context.Canceled", c.name, err)
		}
	}
	if _, err := s.Get(t.Context(), k); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a canceled Set or SetIfAbsent wrote anyway: Get err = %v", err)
	}
}
