package check

import "github.com/smsjump/smsjump/shared/phone"

// keyTable maps non-zero uint64 keys to a uint32 in flat memory (12 bytes a
// slot, open addressing with linear probing), for the two per-row lookups
// of a million-row check: a phone number's first line, and how many rows
// share one set of template parameters. A map would cost about four times
// as much.
type keyTable struct {
	keys []uint64 // 0 marks an empty slot
	vals []uint32
	n    int
}

func newKeyTable(hint int) *keyTable {
	size := max(hint*4/3+1, 16)
	return &keyTable{keys: make([]uint64, size), vals: make([]uint32, size)}
}

// slot returns the index of k, inserting it with value v when absent, and
// whether it was inserted.
func (t *keyTable) slot(k uint64, v uint32) (int, bool) {
	if (t.n+1)*4 > len(t.keys)*3 {
		t.grow()
	}
	for i := t.home(k); ; i = t.next(i) {
		switch t.keys[i] {
		case k:
			return i, false
		case 0:
			t.keys[i], t.vals[i] = k, v
			t.n++
			return i, true
		}
	}
}

func (t *keyTable) grow() {
	oldK, oldV := t.keys, t.vals
	t.keys, t.vals = make([]uint64, len(oldK)*2), make([]uint32, len(oldK)*2)
	for j, k := range oldK {
		if k == 0 {
			continue
		}
		i := t.home(k)
		for t.keys[i] != 0 {
			i = t.next(i)
		}
		t.keys[i], t.vals[i] = k, oldV[j]
	}
}

func (t *keyTable) home(k uint64) int { return phone.Home(k, len(t.keys)) }

func (t *keyTable) next(i int) int {
	if i++; i == len(t.keys) {
		return 0
	}
	return i
}
