package send

import "strings"

// item is one number in a batch.
type item struct {
	row   int
	phone string // E.164
	cq    string // per-row target.cq values (personal links)
}

// batch is one SendSms call: the same parameters for up to 200 numbers.
type batch struct {
	params   []string
	segments int
	// linkParam is the index of the personal-code parameter, -1 if none;
	// such a batch holds one number.
	linkParam int
	items     []item
}

// batcher groups rows with identical parameters. It holds at most maxPending
// rows: then every group goes out as it is, so memory stays flat whatever
// the file (a million identical rows make full batches, a million distinct
// ones single-number batches).
type batcher struct {
	groups     map[string]*batch
	pending    int
	maxPending int
	maxAge     int // rows between the oldest pending row and the newest
	oldest     int // row of the oldest pending item (may be stale-low)
	size       int // numbers per call
	emit       func(*batch)
	key        strings.Builder
}

func newBatcher(size, maxPending, maxAge int, emit func(*batch)) *batcher {
	return &batcher{groups: make(map[string]*batch), size: size, maxPending: maxPending, maxAge: max(1, maxAge), emit: emit}
}

// add queues one number. params must not be modified afterwards.
func (b *batcher) add(params []string, segments int, it item) {
	b.key.Reset()
	for _, p := range params {
		b.key.WriteString(p)
		b.key.WriteByte(0)
	}
	k := b.key.String()
	g := b.groups[k]
	if g == nil {
		g = &batch{params: params, segments: segments, linkParam: -1, items: make([]item, 0, min(b.size, 16))}
		b.groups[k] = g
	}
	if b.pending == 0 {
		b.oldest = it.row
	}
	g.items = append(g.items, it)
	b.pending++
	if len(g.items) == b.size {
		delete(b.groups, k)
		b.pending -= len(g.items)
		b.emit(g)
	}
	if b.pending >= b.maxPending || b.pending > 0 && it.row-b.oldest >= b.maxAge {
		b.flush()
	}
}

// flush sends every group as it is.
func (b *batcher) flush() {
	for k, g := range b.groups {
		delete(b.groups, k)
		b.emit(g)
	}
	b.pending = 0
}
