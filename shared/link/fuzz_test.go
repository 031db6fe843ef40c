package link

import (
	"net/url"
	"testing"
)

// FuzzCQ: cq arrives from the page URL, outside input.
func FuzzCQ(f *testing.F) {
	for _, s := range []string{"", "abc", "a b&c", "渠道", "\xff", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc, err := CQ(s)
		if err != nil {
			return
		}
		if len(enc) > MaxCQ {
			t.Fatalf("encoded %d > %d", len(enc), MaxCQ)
		}
		dec, err := url.QueryUnescape(enc)
		if err != nil || dec != s {
			t.Fatalf("CQ(%q) = %q does not decode back (%q, %v)", s, enc, dec, err)
		}
	})
}

// FuzzValidCodeFormat: k arrives from the page URL.
func FuzzValidCodeFormat(f *testing.F) {
	for _, s := range []string{"ABCDEFGH", "abc", "", "ABCDEFGH0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := ValidCodeFormat(s)
		want := len(s) >= MinCodeLength && len(s) <= MaxCodeLength
		for i := 0; i < len(s) && want; i++ {
			want = codeSymbol[s[i]] == 1
		}
		if ok != want {
			t.Fatalf("ValidCodeFormat(%q) = %v", s, ok)
		}
	})
}
