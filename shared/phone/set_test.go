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

// A sized set never grows: the memory promised by NewSet is the memory used.
func TestSetSizedDoesNotGrow(t *testing.T) {
	const n = 200000
	s := NewSet(n)
	before := s.Bytes()
	for i := range n {
		s.Add(fmt.Sprintf("+86139%08d", i*7))
	}
	if s.Bytes() != before {
		t.Fatalf("sized set grew from %d to %d bytes", before, s.Bytes())
	}
	if perNumber := float64(s.Bytes()) / n; perNumber > 11 {
		t.Fatalf("%.1f bytes per number, want ≤ 11", perNumber)
	}
}

func millionNumbers() []string {
	out := make([]string, 1000000)
	for i := range out {
		out[i] = fmt.Sprintf("+861%d%09d", 3+i%7, i*37)
	}
	return out
}

// BenchmarkSetMillion reports the heap a set of 1,000,000 numbers keeps
// (bytes/number), sized by hint and grown from empty.
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
			b.ReportMetric(float64(s.Bytes())/float64(len(nums)), "bytes/number")
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
