package send

import "sort"

// Range is the inclusive span of rows [From, To].
type Range struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Ranges is a sorted set of disjoint row ranges: the rows in flight at
// crashes. Kept as spans because those rows are nearly contiguous.
type Ranges []Range

// Add inserts [from, to] and merges overlapping or adjacent spans.
func (rs Ranges) Add(from, to int) Ranges {
	if from > to {
		return rs
	}
	out := make(Ranges, 0, len(rs)+1)
	nr := Range{from, to}
	placed := false
	for _, r := range rs {
		switch {
		case r.To+1 < nr.From:
			out = append(out, r)
		case nr.To+1 < r.From:
			if !placed {
				out = append(out, nr)
				placed = true
			}
			out = append(out, r)
		default:
			nr.From, nr.To = min(nr.From, r.From), max(nr.To, r.To)
		}
	}
	if !placed {
		out = append(out, nr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out
}

// Contains reports whether row is in the set.
func (rs Ranges) Contains(row int) bool {
	i := sort.Search(len(rs), func(i int) bool { return rs[i].To >= row })
	return i < len(rs) && rs[i].From <= row
}

// Len is the number of rows in the set.
func (rs Ranges) Len() int {
	n := 0
	for _, r := range rs {
		n += r.To - r.From + 1
	}
	return n
}
