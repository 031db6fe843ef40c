package numplan

import (
	"errors"
	"regexp"
	"testing"

	"github.com/smsjump/smsjump/shared/phone"
)

var mainlandE164 = regexp.MustCompile(`^\+861[3-9][0-9]{9}$`)

// FuzzNormalize: no panic; an accepted number is mainland mobile E.164, is a
// fixed point of Normalize, and agrees with phonenumbers; a rejection always
// carries a known reason and never the whole input.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"13800138000", "+86 138-0013-8000", "0086 138 0013 8000", "8613800138000",
		"１３８００１３８０００", "＋８６１３８００１３８０００", "(010) 1234 5678", "+852 9123 4567",
		"17951001716", "1795100861380013800", "138ABCDEFGH", "", "+", "++86", "\ufeff",
		"1.38001E+10", "17400123456", "+8601380013800",
	} {
		f.Add(s)
	}
	reasons := map[phone.Reason]bool{}
	for _, r := range phone.Reasons() {
		reasons[r] = true
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Normalize(in)
		slowGot, slowErr := slowNormalize(in)
		if got != slowGot || (err == nil) != (slowErr == nil) {
			t.Fatalf("%q: Normalize = %q, %v; slow path = %q, %v", in, got, err, slowGot, slowErr)
		}
		if err != nil {
			var pe *phone.Error
			if !errors.As(err, &pe) || !reasons[pe.Reason] {
				t.Fatalf("%q: error %v has no known reason", in, err)
			}
			return
		}
		if !mainlandE164.MatchString(got) {
			t.Fatalf("%q: Normalize = %q, not +861[3-9]xxxxxxxxx", in, got)
		}
		if again, err := Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; want a fixed point", got, again, err)
		}
		if _, ok := phone.Key(got); !ok {
			t.Fatalf("Key(%q) failed", got)
		}
	})
}
