package send

import (
	"math/rand/v2"
	"testing"
)

func TestRangesAgainstASet(t *testing.T) {
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 1))
		var rs Ranges
		set := map[int]bool{}
		for range 20 {
			from := rng.IntN(200) + 1
			to := from + rng.IntN(10) - 2 // sometimes empty
			rs = rs.Add(from, to)
			for i := from; i <= to; i++ {
				set[i] = true
			}
		}
		for i := 0; i < 220; i++ {
			if rs.Contains(i) != set[i] {
				t.Fatalf("seed %d: Contains(%d) = %v, want %v (%v)", seed, i, rs.Contains(i), set[i], rs)
			}
		}
		if rs.Len() != len(set) {
			t.Fatalf("seed %d: Len %d, want %d", seed, rs.Len(), len(set))
		}
		for i := 1; i < len(rs); i++ {
			if rs[i-1].To+1 >= rs[i].From {
				t.Fatalf("seed %d: spans %v and %v not merged", seed, rs[i-1], rs[i])
			}
		}
	}
}

func TestRangesAdd(t *testing.T) {
	tests := []struct {
		name string
		in   Ranges
		from int
		to   int
		want Ranges
	}{
		{"into empty", nil, 3, 5, Ranges{{3, 5}}},
		{"empty span", Ranges{{3, 5}}, 9, 8, Ranges{{3, 5}}},
		{"adjacent merges", Ranges{{3, 5}}, 6, 8, Ranges{{3, 8}}},
		{"bridges two", Ranges{{1, 2}, {6, 7}}, 3, 5, Ranges{{1, 7}}},
		{"before", Ranges{{6, 7}}, 1, 2, Ranges{{1, 2}, {6, 7}}},
		{"covers", Ranges{{2, 3}, {5, 6}}, 1, 9, Ranges{{1, 9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.Add(tt.from, tt.to)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}
