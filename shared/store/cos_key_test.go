package store

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCOSObjectName(t *testing.T) {
	tests := []struct{ key, want string }{
		{"plain", "plain"},
		{"春节/活动", "春节%2F活动"},
		{"a%2Fb", "a%252Fb"},
		{"tilde~", "tilde%7E"},
		{".", "%2E"},
		{"..", "%2E%2E"},
		{"../x", "..%2Fx"},
		{"tab\there", "tab%09here"},
		{"bad\xffutf8", "bad%FFutf8"},
		{"with space+plus?q#f", "with space+plus?q#f"},
	}
	for _, tt := range tests {
		if got := cosObjectName(tt.key); got != tt.want {
			t.Errorf("cosObjectName(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

func TestCOSObjectNameLongKeys(t *testing.T) {
	seen := map[string]string{}
	for _, k := range []string{
		strings.Repeat("k", cosMaxName), strings.Repeat("k", cosMaxName+1),
		strings.Repeat("春", 170), strings.Repeat("春", 170) + "x",
		strings.Repeat("/", MaxKeyLen), strings.Repeat("/", MaxKeyLen-1) + "%",
	} {
		n := cosObjectName(k)
		if len(n) > cosMaxName || !utf8.ValidString(n) || strings.Contains(n, "/") {
			t.Errorf("name of %d-byte key: %q (%d bytes)", len(k), n, len(n))
		}
		if prev, ok := seen[n]; ok {
			t.Errorf("keys %q and %q share the name %q", prev, k, n)
		}
		seen[n] = k
	}
}

// FuzzCOSObjectName checks the properties the store relies on: one flat,
// valid, bounded name per key, and different keys never share a name.
func FuzzCOSObjectName(f *testing.F) {
	f.Add("a/b", "a%2Fb")
	f.Add(".", "%2E")
	f.Add(strings.Repeat("x", 300), strings.Repeat("x", 301))
	f.Add("a~b", "a%7Eb")
	f.Fuzz(func(t *testing.T, a, b string) {
		if a == "" || b == "" {
			t.Skip("the store rejects empty keys before naming objects")
		}
		na, nb := cosObjectName(a), cosObjectName(b)
		for _, n := range []string{na, nb} {
			if n == "" || strings.Contains(n, "/") || !utf8.ValidString(n) || len(n) > cosMaxName || n == "." || n == ".." {
				t.Fatalf("bad name %q", n)
			}
		}
		if a != b && na == nb {
			t.Fatalf("%q and %q share the name %q", a, b, na)
		}
	})
}

func TestEnvelope(t *testing.T) {
	at := time.Unix(1767225600, 123456789)
	tests := []struct {
		name   string
		value  []byte
		expiry time.Time
	}{
		{"no expiry", []byte("v"), time.Time{}},
		{"expiry", []byte("scheme"), at},
		{"empty value", []byte{}, at},
		{"binary", []byte{0, 0xff, 's', 'j', 's', '1'}, time.Time{}},
	}
	for _, tt := range tests {
		v, exp, err := decodeEnvelope(encodeEnvelope(tt.value, tt.expiry))
		if err != nil || string(v) != string(tt.value) || !exp.Equal(tt.expiry) {
			t.Errorf("%s: got %q %v %v", tt.name, v, exp, err)
		}
	}
	for _, bad := range [][]byte{nil, []byte("sjs1"), []byte("xxxx00000000"), append([]byte("sjs1"), 0x80, 0, 0, 0, 0, 0, 0, 0)} {
		if _, _, err := decodeEnvelope(bad); err == nil {
			t.Errorf("decodeEnvelope(%q) accepted", bad)
		}
	}
	if !expiredAt(at, at) || expiredAt(at, at.Add(-time.Nanosecond)) || expiredAt(time.Time{}, at) {
		t.Error("expiredAt boundaries")
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(encodeEnvelope([]byte("v"), time.Unix(1, 0)))
	f.Add([]byte("sjs1\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, exp, err := decodeEnvelope(b)
		if err != nil {
			return
		}
		again, exp2, err := decodeEnvelope(encodeEnvelope(v, exp))
		if err != nil || string(again) != string(v) || !exp.Equal(exp2) {
			t.Fatalf("round trip of %q: %q %v %v", b, again, exp2, err)
		}
	})
}
