package numplan

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/smsjump/smsjump/shared/phone"
)

// slowNormalize is Normalize with the fast path switched off.
func slowNormalize(raw string) (string, error) {
	s, err := phone.Clean(raw)
	if err != nil {
		return "", err
	}
	return slowPath(s)
}

func sameAnswer(t *testing.T, in string) {
	t.Helper()
	gotFast, errFast := Normalize(in)
	gotSlow, errSlow := slowNormalize(in)
	if gotFast != gotSlow || !reflect.DeepEqual(errFast, errSlow) {
		t.Fatalf("%q: fast path = %q, %v; phonenumbers = %q, %v", in, gotFast, errFast, gotSlow, errSlow)
	}
}

// TestFastPathMatchesSlowPath proves the hand-written prefix table equals the
// phonenumbers metadata: every 5-digit prefix 13000–19999 (so every 3-digit
// prefix 130–199 and the 1740x split) with the lowest, highest and a random
// suffix, with +86 too, plus random numbers. Below 13000 both sides are the
// slow path.
func TestFastPathMatchesSlowPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fastHits := 0
	for p := 13000; p <= 19999; p++ {
		for k, suffix := range []int{0, 999999, rng.IntN(1000000)} {
			n := fmt.Sprintf("%05d%06d", p, suffix)
			sameAnswer(t, n)
			if k == 2 {
				sameAnswer(t, "+86"+n)
			}
			if _, ok, _ := phone.FastPath(n); ok {
				fastHits++
			}
		}
	}
	// Everything 1[3-9] except the 179 block, which only the slow path knows.
	if want := (7000 - 100) * 3; fastHits != want {
		t.Fatalf("fast path took %d of the 1[3-9] numbers, want %d", fastHits, want)
	}
	random := 10000
	if testing.Short() {
		random = 1000
	}
	for range random {
		n := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1000000000))
		sameAnswer(t, n)
	}
}

var benchNumbers = func() []string {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([]string, 1024)
	for i := range out {
		out[i] = fmt.Sprintf("13%d%08d", rng.IntN(10), rng.IntN(100000000))
	}
	return out
}()

var sink string

func BenchmarkNormalizeFast(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink, _ = Normalize(benchNumbers[i%len(benchNumbers)])
	}
}

func BenchmarkNormalizeSlow(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sink, _ = slowNormalize(benchNumbers[i%len(benchNumbers)])
	}
}

// Formatted input still takes the fast path after cleaning, at the price of
// one small allocation for the cleaned string.
func BenchmarkNormalizeFormatted(b *testing.B) {
	in := "+86 138-0013-8000"
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = Normalize(in)
	}
}
