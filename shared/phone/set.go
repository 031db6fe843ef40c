package phone

import (
	"fmt"
	"math/bits"
)

// maxLoadNum/maxLoadDen is the fill ratio that triggers growth. Linear probing
// stays short (about 2.5 probes for a hit, 8.5 for a miss) up to 3/4 full.
const (
	maxLoadNum = 3
	maxLoadDen = 4
)

// Set remembers which numbers a job has seen, to reject duplicates. A number
// is stored as one uint64 (its E.164 digits) in an open-addressing table with
// linear probing, so a million numbers cost about 10.7 MB with a size hint
// instead of the ~80 MB a map[string]struct{} takes. It is not safe for
// concurrent use.
type Set struct {
	slots []uint64 // 0 marks an empty slot; E.164 digits never encode to 0
	n     int
}

// NewSet returns a set sized for hint numbers without growing.
func NewSet(hint int) *Set {
	size := hint*maxLoadDen/maxLoadNum + 1
	return &Set{slots: make([]uint64, max(size, 16))}
}

// Add records e164 and reports whether it was new. e164 must be a number in
// E.164 form as Normalize returns it; anything else is a programming error
// and panics, like regexp.MustCompile.
func (s *Set) Add(e164 string) (added bool) {
	k, ok := Key(e164)
	if !ok {
		panic(fmt.Sprintf("phone.Set.Add: %q is not E.164", Mask(e164)))
	}
	return s.AddKey(k)
}

// Has reports whether e164 was added. Input that is not E.164 is never in the set.
func (s *Set) Has(e164 string) bool {
	k, ok := Key(e164)
	return ok && s.HasKey(k)
}

// HasKey is Has for a key from Key.
func (s *Set) HasKey(k uint64) bool {
	if s == nil || len(s.slots) == 0 || k == 0 {
		return false
	}
	for i := s.home(k); ; i = s.next(i) {
		switch s.slots[i] {
		case k:
			return true
		case 0:
			return false
		}
	}
}

// AddKey is Add for a key from Key, for callers that keep keys rather than strings.
func (s *Set) AddKey(k uint64) (added bool) {
	if k == 0 {
		panic("phone.Set.AddKey: zero key")
	}
	if len(s.slots) == 0 {
		s.slots = make([]uint64, 16)
	}
	if (s.n+1)*maxLoadDen > len(s.slots)*maxLoadNum {
		s.grow()
	}
	for i := s.home(k); ; i = s.next(i) {
		switch s.slots[i] {
		case k:
			return false
		case 0:
			s.slots[i] = k
			s.n++
			return true
		}
	}
}

// Len is the number of distinct numbers added.
func (s *Set) Len() int { return s.n }

// Bytes is the memory held by the table, for progress reports and tests.
func (s *Set) Bytes() int { return len(s.slots) * 8 }

// Key encodes an E.164 number (+ and 1 to 15 digits, no leading zero) as the
// uint64 of its digits.
func Key(e164 string) (uint64, bool) {
	if len(e164) < 2 || len(e164) > 16 || e164[0] != '+' || e164[1] == '0' {
		return 0, false
	}
	var k uint64
	for i := 1; i < len(e164); i++ {
		c := e164[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + uint64(c-'0')
	}
	return k, true
}

func (s *Set) grow() {
	old := s.slots
	s.slots = make([]uint64, len(old)*2)
	for _, k := range old {
		if k == 0 {
			continue
		}
		i := s.home(k)
		for s.slots[i] != 0 {
			i = s.next(i)
		}
		s.slots[i] = k
	}
}

// home maps a key to its first slot. Phone numbers share long prefixes, so the
// key is mixed first (splitmix64 finaliser); the multiply-high reduction then
// works for any table size, which lets NewSet size exactly to its hint.
func (s *Set) home(k uint64) int {
	k ^= k >> 30
	k *= 0xbf58476d1ce4e5b9
	k ^= k >> 27
	k *= 0x94d049bb133111eb
	k ^= k >> 31
	hi, _ := bits.Mul64(k, uint64(len(s.slots)))
	return int(hi)
}

func (s *Set) next(i int) int {
	i++
	if i == len(s.slots) {
		return 0
	}
	return i
}
