package store

import (
	"bytes"
	"errors"
	"math"
	"os"
	"testing"
	"time"
)

// TestRecordV1Golden pins the on-disk layout: files written by an older
// build must stay readable.
func TestRecordV1Golden(t *testing.T) {
	golden, err := os.ReadFile("testdata/record-v1.bin")
	if err != nil {
		t.Fatal(err)
	}
	expiry := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	if got := encodeRecord(expiry, []byte("春节")); !bytes.Equal(got, golden) {
		t.Fatalf("encodeRecord = %x, golden %x", got, golden)
	}
	e, v, err := decodeRecord(golden)
	if err != nil || e != expiry || string(v) != "春节" {
		t.Fatalf("decodeRecord(golden) = %d, %q, %v", e, v, err)
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		rec  []byte
	}{
		{"empty", nil},
		{"short header", []byte{1, 0, 0}},
		{"unknown version", append([]byte{2}, make([]byte, 8)...)},
		{"negative expiry", []byte{1, 0x80, 0, 0, 0, 0, 0, 0, 0}},
	} {
		if _, _, err := decodeRecord(tc.rec); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", tc.name, err)
		}
	}
}

func TestExpiryAt(t *testing.T) {
	for _, tc := range []struct {
		now  int64
		ttl  time.Duration
		want int64
	}{
		{100, 0, 0},
		{100, 5, 105},
		{math.MaxInt64 - 10, time.Hour, math.MaxInt64},
		{1, time.Duration(math.MaxInt64), math.MaxInt64},
	} {
		if got := expiryAt(tc.now, tc.ttl); got != tc.want {
			t.Errorf("expiryAt(%d, %d) = %d, want %d", tc.now, tc.ttl, got, tc.want)
		}
	}
}

// FuzzDecodeRecord: bytes read from a file may be anything. Decoding never
// panics, and whatever decodes re-encodes to the same bytes.
func FuzzDecodeRecord(f *testing.F) {
	golden, err := os.ReadFile("testdata/record-v1.bin")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'v'})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, v, err := decodeRecord(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		if e < 0 {
			t.Fatalf("negative expiry %d accepted", e)
		}
		if again := encodeRecord(e, v); !bytes.Equal(again, b) {
			t.Fatalf("round trip %x -> %x", b, again)
		}
	})
}

// FuzzExpiryKey: index keys split back into what built them.
func FuzzExpiryKey(f *testing.F) {
	f.Add(int64(0), "k")
	f.Add(int64(math.MaxInt64), "春节/活动")
	f.Fuzz(func(t *testing.T, expiry int64, key string) {
		if expiry < 0 {
			return // expiryAt never produces one
		}
		e, k, ok := splitExpiryKey(expiryKey(expiry, key))
		if !ok || e != expiry || string(k) != key {
			t.Fatalf("split(%d, %q) = %d, %q, %v", expiry, key, e, k, ok)
		}
	})
}
