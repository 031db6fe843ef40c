package phone

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

func TestKey(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"+8613800138000", 8613800138000, true},
		{"+1", 1, true},
		{"+999999999999999", 999999999999999, true},
		{"+9999999999999999", 0, false}, // 16 digits: beyond E.164
		{"8613800138000", 0, false},
		{"+0861380013800", 0, false},
		{"+86 138", 0, false},
		{"+", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := Key(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Key(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSetAgainstMap(t *testing.T) {
	for _, hint := range []int{0, 10, 100000} {
		t.Run(fmt.Sprint("hint=", hint), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(hint)))
			s := NewSet(hint)
			ref := map[string]bool{}
			for range 50000 {
				// A narrow range forces many duplicates and dense clusters.
				n := fmt.Sprintf("+861380013%04d", rng.IntN(30000)%10000)
				if got, want := s.Add(n), !ref[n]; got != want {
					t.Fatalf("Add(%s) = %v, want %v", n, got, want)
				}
				ref[n] = true
			}
			if s.Len() != len(ref) {
				t.Fatalf("Len = %d, want %d", s.Len(), len(ref))
			}
			for n := range ref {
				if !s.Has(n) {
					t.Fatalf("Has(%s) = false after Add", n)
				}
			}
			if s.Has("+8613900139000") || s.Has("not a number") {
				t.Fatal("Has reports a number never added")
			}
		})
	}
}

// AddKeys must answer as AddKey one key at a time, in order: repeats within
// a batch and across batches, mainland and other numbers, tables that grow
// in the middle of a batch.
func TestAddKeysMatchesAddKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	batched, single := NewSet(0), NewSet(0)
	for range 3000 {
		keys := make([]uint64, rng.IntN(40))
		for i := range keys {
			switch rng.IntN(3) {
			case 0: // mainland mobile, a narrow range: many repeats
				keys[i] = 86_138_0013_0000 + uint64(rng.IntN(20000))
			case 1:
				keys[i] = 86_130_0000_0000 + uint64(rng.IntN(60_0000_0000))
			default: // elsewhere
				keys[i] = 1_202_555_0000 + uint64(rng.IntN(5000))
			}
		}
		added := make([]bool, len(keys))
		batched.AddKeys(keys, added)
		for i, k := range keys {
			if want := single.AddKey(k); added[i] != want {
				t.Fatalf("AddKeys said %v for key %d, AddKey %v", added[i], k, want)
			}
		}
	}
	if batched.Len() != single.Len() || batched.Len() < 10000 {
		t.Fatalf("Len %d and %d", batched.Len(), single.Len())
	}
}

func TestSetZeroValueAndNil(t *testing.T) {
	var s Set
	if s.Has("+8613800138000") {
		t.Fatal("zero Set has a number")
	}
	if !s.Add("+8613800138000") || s.Add("+8613800138000") {
		t.Fatal("zero Set does not add")
	}
	var nilSet *Set
	if nilSet.Has("+8613800138000") {
		t.Fatal("nil Set has a number")
	}
}

func TestSetAddPanicsOnNonE164(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("Add accepted a raw number")
		}
		if msg := fmt.Sprint(r); msg == "" || contains(msg, "13800138000") {
			t.Fatalf("panic message %q leaks the number", msg)
		}
	}()
	NewSet(1).Add("13800138000")
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// A sized set never grows, and holds at most 6 bytes a mainland number at
// its peak.
func TestSetSizedDoesNotGrow(t *testing.T) {
	for _, n := range []int{1000, 200000} {
		s := NewSet(n)
		before := s.Bytes()
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		for s.Len() < n {
			s.Add(fmt.Sprintf("+861%d%09d", 3+rng.IntN(7), rng.IntN(1e9)))
		}
		if s.Bytes() != before || s.PeakBytes() != before {
			t.Fatalf("%d numbers: sized set grew from %d to %d bytes (peak %d)", n, before, s.Bytes(), s.PeakBytes())
		}
		if perNumber := float64(s.PeakBytes()) / float64(n); n >= 200000 && perNumber > 6 {
			t.Fatalf("%d numbers: %.2f bytes per number at peak, want ≤ 6", n, perNumber)
		}
	}
}

// Without a hint the set grows a 64th at a time: the peak stays near the
// final size instead of doubling.
func TestSetGrowsInSmallSteps(t *testing.T) {
	const n = 200000
	s := NewSet(0)
	for i := range n {
		s.Add(fmt.Sprintf("+86139%08d", i*7))
	}
	if perNumber := float64(s.PeakBytes()) / n; perNumber > 6.5 {
		t.Fatalf("%.2f bytes per number at peak", perNumber)
	}
	if s.PeakBytes() < s.Bytes() {
		t.Fatalf("peak %d below current %d", s.PeakBytes(), s.Bytes())
	}
}

// Reserve after the first numbers (a caller that learns its input's size
// late) keeps them and then holds the rest without growing.
func TestSetReserveLate(t *testing.T) {
	const n = 100000
	s := NewSet(0)
	for i := range 1000 {
		s.Add(fmt.Sprintf("+86139%08d", i*7))
	}
	s.Reserve(n)
	before := s.Bytes()
	for i := range n - 1000 {
		if !s.Add(fmt.Sprintf("+86138%08d", i*7)) {
			t.Fatal("a new number was taken for a duplicate")
		}
	}
	for i := range 1000 {
		if s.Add(fmt.Sprintf("+86139%08d", i*7)) {
			t.Fatal("a number added before Reserve was lost")
		}
	}
	if s.Bytes() != before || s.Len() != n {
		t.Fatalf("grew from %d to %d bytes, %d numbers", before, s.Bytes(), s.Len())
	}
	if perNumber := float64(s.PeakBytes()) / n; perNumber > 6 {
		t.Fatalf("%.2f bytes per number at peak", perNumber)
	}
}

// Mainland numbers, international numbers and the boundaries between them
// each land in exactly one table.
func TestSetMixedNumbers(t *testing.T) {
	s := NewSet(100)
	nums := []string{"+8610000000000", "+8619999999999", "+8620000000000", "+8609999999999" /* not E.164 but a key */, "+85291234567", "+14155550100", "+861", "+8613800138000"}
	for _, n := range nums {
		if _, ok := Key(n); !ok {
			continue
		}
		if !s.Add(n) || s.Add(n) || !s.Has(n) {
			t.Fatalf("%s not added exactly once", n)
		}
	}
	if s.Has("+8613800138001") || s.Has("+14155550101") {
		t.Fatal("Has reports a number never added")
	}
}

// mix38 must be a bijection, or two numbers would share a slot value and the
// second would be taken for a duplicate.
func TestMix38Bijective(t *testing.T) {
	inv := func(m uint64) uint64 { // inverse of an odd number modulo 2^64
		x := m
		for range 6 {
			x *= 2 - m*x
		}
		return x
	}
	unshift := func(y uint64, s uint) uint64 {
		x := y
		for range mixBits/s + 1 {
			x = y ^ x>>s
		}
		return x & mixMask
	}
	unmix := func(x uint64) uint64 {
		x = unshift(x, 17)
		x = (x * inv(0xbf58476d1ce4e5b9)) & mixMask
		x = unshift(x, 19)
		return (x * inv(0x9e3779b97f4a7c15)) & mixMask
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 100000 {
		x := rng.Uint64() & mixMask
		if y := mix38(x); y > mixMask || unmix(y) != x {
			t.Fatalf("mix38(%d) = %d does not invert", x, y)
		}
	}
	// A number whose stored bits are 0 (the empty-slot marker) is still kept.
	found := false
	for p := range uint64(mainlandParts) {
		if v := unmix(p << 32); v < mainlandHigh-mainlandLow {
			e164 := fmt.Sprintf("+%d", v+mainlandLow)
			s := NewSet(10)
			if !s.Add(e164) || s.Add(e164) || !s.Has(e164) || s.Len() != 1 {
				t.Fatalf("%s (stored bits 0) not kept", e164)
			}
			found = true
		}
	}
	if !found {
		var tb table32
		tb.slots = make([]uint32, minSlots)
		if !tb.add(0) || tb.add(0) || !tb.has(0) {
			t.Fatal("table32 loses the value 0")
		}
	}
}

func millionNumbers() []string {
	out := make([]string, 1000000)
	for i := range out {
		out[i] = fmt.Sprintf("+861%d%09d", 3+i%7, i*37)
	}
	return out
}

// BenchmarkSetMillion reports the most memory a set of 1,000,000 numbers
// holds at once (peak-bytes/number), sized by hint and grown from empty.
func BenchmarkSetMillion(b *testing.B) {
	nums := millionNumbers()
	for _, hint := range []int{len(nums), 0} {
		b.Run(fmt.Sprint("hint=", hint), func(b *testing.B) {
			b.ReportAllocs()
			var s *Set
			for b.Loop() {
				s = NewSet(hint)
				for _, n := range nums {
					s.Add(n)
				}
			}
			runtime.KeepAlive(s)
			b.ReportMetric(float64(s.PeakBytes())/float64(len(nums)), "peak-bytes/number")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(nums)), "ns/add")
		})
	}
}

// BenchmarkMapMillion is the map[string]struct{} baseline Set replaces.
func BenchmarkMapMillion(b *testing.B) {
	nums := millionNumbers()
	b.ReportAllocs()
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := make(map[string]struct{})
		for _, n := range nums {
			m[n] = struct{}{}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(nums)), "bytes/number")
}
