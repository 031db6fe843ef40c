package phone

import (
	"fmt"
	"math"
	"math/bits"
)

// Set remembers which numbers a job has seen, to reject duplicates. It is
// not safe for concurrent use.
//
// Mainland mobile numbers (+86 1xxxxxxxxxx), nearly every row of a
// campaign, are mixed by a bijection on 38 bits and split into 64 tables by
// the top 6 bits; each table stores the low 32 bits in open addressing. The
// pair (table, stored bits) still identifies the number, so 4 bytes a slot
// suffice: about 5 bytes a number with a correct size hint, and growing one
// table at a time holds 1/64 of the set twice, never all of it. Other numbers
// go to a table of full 64-bit keys.
type Set struct {
	parts [mainlandParts]table32
	wide  table64
	size  int // bytes the tables hold
	peak  int // most bytes held at once, growth included
	// touched is what AddKeys read ahead of its adds; never used.
	touched uint32
}

const (
	mainlandParts = 64
	partBits      = 6
	mixBits       = 32 + partBits
	mixMask       = 1<<mixBits - 1
)

// Load factors: linear probing stays short (about 3 probes for a hit, 13 for
// a miss) at 0.8. A table sized by its hint is filled to at most maxLoad;
// growing multiplies it by growBy, so a wrong hint costs at most
// 4 × 1.25 / 0.8 = 6.25 bytes a number.
const (
	maxLoad = 0.8
	growBy  = 1.25
	// hintSlack covers the spread of numbers over the 64 tables (binomial:
	// ±4σ is under 2 % from 100,000 numbers up).
	hintSlack = 1.03
	minSlots  = 16
)

// NewSet returns a set sized for hint numbers, nearly all mainland mobile, as
// campaigns are; up to about that many it does not grow.
func NewSet(hint int) *Set {
	s := &Set{}
	s.Reserve(hint)
	return s
}

// Reserve makes room for n numbers in all, nearly all mainland mobile, so
// that adding up to about n does not grow the tables; a caller that learns
// the size of its input after the first rows calls it then. It never
// shrinks.
func (s *Set) Reserve(n int) {
	if n <= 0 {
		return
	}
	per := float64(n)/mainlandParts*hintSlack + 4*math.Sqrt(float64(n)/mainlandParts)
	slots := max(int(per/maxLoad)+1, minSlots)
	for i := range s.parts {
		t := &s.parts[i]
		if len(t.slots) >= slots {
			continue
		}
		before := t.bytes()
		s.growing(4 * slots)
		t.resize(slots)
		s.size += t.bytes() - before
	}
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

// AddKey is Add for a key from Key, for callers that keep keys rather than strings.
func (s *Set) AddKey(k uint64) (added bool) {
	if k == 0 {
		panic("phone.Set.AddKey: zero key")
	}
	if p, low, ok := mainland(k); ok {
		t := &s.parts[p]
		if t.needsGrowth() {
			before := t.bytes()
			s.growing(t.grownBytes())
			t.grow()
			s.size += t.bytes() - before
		}
		return t.add(low)
	}
	if s.wide.needsGrowth() {
		before := s.wide.bytes()
		s.growing(s.wide.grownBytes())
		s.wide.grow()
		s.size += s.wide.bytes() - before
	}
	return s.wide.add(k)
}

// AddKeys is AddKey for each of keys in order, setting added[i]; added must
// be as long as keys. For a set of millions, each add is a cache and TLB
// miss; AddKeys first reads the slot each key starts at, loads the
// processor can overlap, so the adds then find their memory close at hand
// instead of waiting for each miss in turn.
func (s *Set) AddKeys(keys []uint64, added []bool) {
	var touched uint32
	for _, k := range keys {
		if p, low, ok := mainland(k); ok {
			if t := &s.parts[p]; len(t.slots) > 0 {
				touched ^= t.slots[t.home(low)]
			}
		}
	}
	s.touched ^= touched // kept, so the loads are not optimised away
	for i, k := range keys {
		added[i] = s.AddKey(k)
	}
}

// Has reports whether e164 was added. Input that is not E.164 is never in the set.
func (s *Set) Has(e164 string) bool {
	k, ok := Key(e164)
	return ok && s.HasKey(k)
}

// HasKey is Has for a key from Key.
func (s *Set) HasKey(k uint64) bool {
	if s == nil || k == 0 {
		return false
	}
	if p, low, ok := mainland(k); ok {
		return s.parts[p].has(low)
	}
	return s.wide.has(k)
}

// Len is the number of distinct numbers added.
func (s *Set) Len() int {
	n := s.wide.n
	for i := range s.parts {
		n += s.parts[i].n
	}
	return n
}

// Bytes is the memory the tables hold now.
func (s *Set) Bytes() int {
	b := s.wide.bytes()
	for i := range s.parts {
		b += s.parts[i].bytes()
	}
	return b
}

// PeakBytes is the most memory the tables held at once, including the moment
// a growing table and its replacement both exist.
func (s *Set) PeakBytes() int { return s.peak }

// growing records the peak while a table's replacement of newBytes exists
// beside it.
func (s *Set) growing(newBytes int) {
	if b := s.size + newBytes; b > s.peak {
		s.peak = b
	}
}

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

// E164 turns a key back into the E.164 form it was made from.
func E164(k uint64) string {
	var b [24]byte
	i := len(b)
	for k > 0 {
		i--
		b[i] = byte('0' + k%10)
		k /= 10
	}
	i--
	b[i] = '+'
	return string(b[i:])
}

// Mainland mobile keys are 86 followed by eleven digits starting with 1.
const (
	mainlandLow  = 86_1_0000_0000_00
	mainlandHigh = 86_2_0000_0000_00
)

// mainland splits a mainland mobile key into its table and stored bits.
func mainland(k uint64) (part int, low uint32, ok bool) {
	if k < mainlandLow || k >= mainlandHigh {
		return 0, 0, false
	}
	x := mix38(k - mainlandLow) // < 10^10 < 2^34
	return int(x >> 32), uint32(x), true
}

// mix38 is a bijection on 38-bit values (odd multipliers and xor-shifts
// modulo 2^38 are invertible), so distinct numbers keep distinct
// (table, low bits) pairs while neighbouring numbers scatter.
func mix38(x uint64) uint64 {
	x = (x * 0x9e3779b97f4a7c15) & mixMask
	x ^= x >> 19
	x = (x * 0xbf58476d1ce4e5b9) & mixMask
	x ^= x >> 17
	return x
}

// table32 is open addressing over already mixed 32-bit values. 0 marks an
// empty slot, so the value 0 is kept in a flag.
type table32 struct {
	slots []uint32
	n     int
	zero  bool
}

func (t *table32) home(v uint32) int {
	return int(uint64(v) * uint64(len(t.slots)) >> 32)
}

func (t *table32) has(v uint32) bool {
	if v == 0 {
		return t.zero
	}
	if len(t.slots) == 0 {
		return false
	}
	for i := t.home(v); ; {
		switch t.slots[i] {
		case v:
			return true
		case 0:
			return false
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

func (t *table32) needsGrowth() bool {
	return float64(t.n+1) > float64(len(t.slots))*maxLoad
}

func (t *table32) grownBytes() int { return 4 * grownSize(len(t.slots)) }

func (t *table32) bytes() int { return 4 * len(t.slots) }

func (t *table32) add(v uint32) bool {
	if v == 0 {
		if t.zero {
			return false
		}
		t.zero = true
		t.n++
		return true
	}
	for i := t.home(v); ; {
		switch t.slots[i] {
		case v:
			return false
		case 0:
			t.slots[i] = v
			t.n++
			return true
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

func (t *table32) grow() { t.resize(grownSize(len(t.slots))) }

func (t *table32) resize(slots int) {
	old := t.slots
	t.slots = make([]uint32, slots)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := t.home(v)
		for t.slots[i] != 0 {
			if i++; i == len(t.slots) {
				i = 0
			}
		}
		t.slots[i] = v
	}
}

func grownSize(n int) int { return max(int(float64(n)*growBy)+1, minSlots) }

// table64 holds full keys of numbers outside the mainland mobile range;
// keys are never 0 (E.164 has no leading zero).
type table64 struct {
	slots []uint64
	n     int
}

// Home is where an open-addressing table of n slots starts probing for the
// key k. It mixes the key first (splitmix64 finaliser): phone numbers share
// long prefixes. Every table of phone keys uses it.
func Home(k uint64, n int) int {
	k ^= k >> 30
	k *= 0xbf58476d1ce4e5b9
	k ^= k >> 27
	k *= 0x94d049bb133111eb
	k ^= k >> 31
	hi, _ := bits.Mul64(k, uint64(n))
	return int(hi)
}

func (t *table64) home(k uint64) int { return Home(k, len(t.slots)) }

func (t *table64) has(k uint64) bool {
	if len(t.slots) == 0 {
		return false
	}
	for i := t.home(k); ; {
		switch t.slots[i] {
		case k:
			return true
		case 0:
			return false
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

func (t *table64) needsGrowth() bool {
	return float64(t.n+1) > float64(len(t.slots))*maxLoad
}

func (t *table64) grownBytes() int { return 8 * max(2*len(t.slots), minSlots) }

func (t *table64) bytes() int { return 8 * len(t.slots) }

func (t *table64) add(k uint64) bool {
	for i := t.home(k); ; {
		switch t.slots[i] {
		case k:
			return false
		case 0:
			t.slots[i] = k
			t.n++
			return true
		}
		if i++; i == len(t.slots) {
			i = 0
		}
	}
}

// grow doubles: few numbers land here, so speed beats bytes.
func (t *table64) grow() {
	old := t.slots
	t.slots = make([]uint64, max(2*len(old), minSlots))
	for _, k := range old {
		if k == 0 {
			continue
		}
		i := t.home(k)
		for t.slots[i] != 0 {
			if i++; i == len(t.slots) {
				i = 0
			}
		}
		t.slots[i] = k
	}
}
