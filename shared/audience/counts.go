package audience

import "github.com/smsjump/smsjump/shared/phone"

// counts maps a number to how many messages it got within each rule's
// window: one uint64 key and four bytes per number in an open-addressing
// table, about 16 MB per million numbers instead of a map's ~60.
type counts struct {
	keys []uint64
	vals [][maxRules]uint8
	n    int
}

func newCounts(hint int) *counts {
	size := max(16, hint*4/3+1)
	return &counts{keys: make([]uint64, size), vals: make([][maxRules]uint8, size)}
}

// add counts one message for every rule i with in&(1<<i) != 0.
func (c *counts) add(k uint64, in uint8) {
	if (c.n+1)*4 > len(c.keys)*3 {
		c.grow()
	}
	i := c.slot(k)
	if c.keys[i] == 0 {
		c.keys[i] = k
		c.n++
	}
	for r := range maxRules {
		if in&(1<<r) != 0 && c.vals[i][r] < 255 {
			c.vals[i][r]++
		}
	}
}

// get returns the counts of k (zeros when it got none).
func (c *counts) get(k uint64) [maxRules]uint8 {
	if c == nil || c.n == 0 {
		return [maxRules]uint8{}
	}
	return c.vals[c.slot(k)]
}

// slot is where k is or would go.
func (c *counts) slot(k uint64) int {
	for i := phone.Home(k, len(c.keys)); ; i++ {
		if i == len(c.keys) {
			i = 0
		}
		if c.keys[i] == k || c.keys[i] == 0 {
			return i
		}
	}
}

func (c *counts) grow() {
	old := *c
	*c = counts{keys: make([]uint64, len(old.keys)*2), vals: make([][maxRules]uint8, len(old.keys)*2)}
	for i, k := range old.keys {
		if k != 0 {
			j := c.slot(k)
			c.keys[j], c.vals[j] = k, old.vals[i]
			c.n++
		}
	}
}

// bytes is the memory held, for logs and tests.
func (c *counts) bytes() int { return len(c.keys) * (8 + maxRules) }
