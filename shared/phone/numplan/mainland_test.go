package numplan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/smsjump/smsjump/shared/phone"
)

// sameVerdict fails unless phone.Mainland accepts in exactly when Normalize
// does, with the same E.164 form (so the same store key).
func sameVerdict(t *testing.T, in string) (accepted bool) {
	t.Helper()
	full, err := Normalize(in)
	light, ok := phone.Mainland(in)
	if ok != (err == nil) || light != full {
		t.Fatalf("%q: phone.Mainland = %q, %v; numplan.Normalize = %q, %v", in, light, ok, full, err)
	}
	return ok
}

// Pieces people and platforms put before a number: '+', the IDD 00, carrier
// codes (17951, 12593, 11808) alone or as an IDD with 00, the trunk 0,
// country codes (86 and others).
var prefixAtoms = []string{"0", "00", "86", "17951", "12593", "11808", "1795100", "1259300", "852", "1", "886", "8"}

// Tails: mobile numbers of every block, numbers one digit short or long,
// unassigned and non-mobile blocks, fixed lines.
var tails = []string{
	"13800138000", "14512345678", "15012345678", "16212345678", "17012345678", "17400123456",
	"18012345678", "19912345678", "1380013800", "138001380001", "14012345678", "17912345678",
	"17490123456", "12012345678", "1012345678", "2161234567", "4001234567", "91234567", "",
}

var deepTails = []string{"13800138000", "17400123456", "1380013800", "138001380001", "17912345678", "2161234567"}

// TestMainlandMatchesNormalize: every tail behind every sequence of up to
// three prefix pieces, with and without a leading '+', gets the same verdict
// from the dependency-free normaliser as from libphonenumber.
func TestMainlandMatchesNormalize(t *testing.T) {
	var cases, accepted int
	check := func(in string) {
		cases++
		if sameVerdict(t, in) {
			accepted++
		}
	}
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		ts := tails
		if depth == 3 {
			// Three pieces deep, a few tails tell the rules apart and keep
			// the race-enabled suite short.
			ts = deepTails
		}
		for _, tail := range ts {
			check(prefix + tail)
			check("+" + prefix + tail)
		}
		if depth == 3 {
			return
		}
		for _, a := range prefixAtoms {
			walk(prefix+a, depth+1)
		}
	}
	walk("", 0)
	// Every prefix rule must be reached: each of these is accepted only
	// through one of them (IDD after '+', 86 then two national prefixes,
	// 86 then a carrier code, a carrier IDD, the trunk 0 after +86 and 0086,
	// a carrier code alone).
	for _, in := range []string{"+008613800138000", "860013800138000", "8617951013800138000",
		"17951008613800138000", "+86013800138000", "0086013800138000", "1795113800138000", "013800138000"} {
		cases++
		if !sameVerdict(t, in) {
			t.Errorf("%q is not accepted any more: the test no longer reaches the rule it was for", in)
		}
	}
	t.Logf("%d inputs, %d accepted", cases, accepted)
}

// TestMainlandRandomDigits compares the two on random digit strings built
// around mobile numbers, where a wrong prefix rule would show.
func TestMainlandRandomDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	// 20,000 keep the race-enabled suite short; the fuzz target goes on
	// from here (go test -fuzz FuzzMainlandMatchesNormalize).
	n := 20000
	for range n {
		var b []byte
		if rng.IntN(3) == 0 {
			b = append(b, '+')
		}
		for range rng.IntN(4) {
			b = append(b, prefixAtoms[rng.IntN(len(prefixAtoms))]...)
		}
		if rng.IntN(4) > 0 {
			b = fmt.Appendf(b, "1%d%09d", rng.IntN(10), rng.IntN(1000000000))
		}
		for range rng.IntN(3) {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		if len(b) == 0 || len(b) > 24 {
			continue
		}
		sameVerdict(t, string(b))
	}
}

// FuzzMainlandMatchesNormalize holds the two together on any input,
// formatting included.
func FuzzMainlandMatchesNormalize(f *testing.F) {
	for _, s := range []string{
		"13800138000", "+86 138-0013-8000", "0086 138 0013 8000", "8613800138000", "+852 9123 4567",
		"17951001716", "1795100861380013800", "+008613800138000", "86017951 13800138000", "013800138000",
		"12593 13800138000", "+0 13800138000", "＋８６１３８００１３８０００", "1.38001E+10", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sameVerdict(t, in)
	})
}

// TestMainlandRestsOnMetadata pins the facts of the CN metadata that
// phone.Mainland encodes by hand; an upgrade of phonenumbers that changes
// one fails here with the fact named.
func TestMainlandRestsOnMetadata(t *testing.T) {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		t.Fatal(err)
	}
	var cn *phonenumbers.PhoneMetadata
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "CN" {
			cn = m
		}
	}
	if cn == nil {
		t.Fatal("no CN metadata")
	}
	facts := []struct{ what, got, want string }{
		{"national prefix for parsing (stripNationalPrefix)", cn.GetNationalPrefixForParsing(), `(1(?:[12]\d|79)\d\d)|0`},
		{"national prefix transform rule", cn.GetNationalPrefixTransformRule(), ""},
		{"international prefix (iddLen)", cn.GetInternationalPrefix(), `00|1(?:[12]\d|79)\d\d00`},
		{"mobile pattern (mobilePrefix)", cn.GetMobile().GetNationalNumberPattern(), `1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}`},
		// No alternative starts with 0 or is longer than 12 digits: a number
		// that does is never "viable", so its national prefix is stripped.
		{"general description", cn.GetGeneralDesc().GetNationalNumberPattern(), `(?:(?:1[03-689]|2\d)\d\d|6)\d{8}|1\d{10}|[126]\d{6}(?:\d(?:\d{2})?)?|86\d{5,6}|(?:[3-579]\d|8[0-57-9])\d{5,9}`},
		{"general possible lengths (maxNationalLen 12)", fmt.Sprint(cn.GetGeneralDesc().GetPossibleLength()), "[7 8 9 10 11 12]"},
		{"country code", fmt.Sprint(cn.GetCountryCode()), "86"},
	}
	for _, f := range facts {
		if f.got != f.want {
			t.Errorf("CN %s is %q, phone.Mainland assumes %q", f.what, f.got, f.want)
		}
	}
	if regions := phonenumbers.GetRegionCodesForCountryCode(86); !slices.Equal(regions, []string{"CN"}) {
		t.Errorf("+86 is %v, phone.Mainland assumes CN alone", regions)
	}
}

func BenchmarkMainlandFormatted(b *testing.B) {
	in := "+86 138-0013-8000"
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = phone.Mainland(in)
	}
}
