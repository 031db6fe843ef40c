package send

import "sync"

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

// batches are reused once sent: a million identical rows make 5,000 full
// batches, and growing each one's items afresh was a large share of what
// the collector had to chase.
var batches = sync.Pool{New: func() any { return &batch{items: make([]item, 0, 16)} }}

// newBatch returns an empty batch, reused when one is free.
func newBatch(params []string, segments, linkParam int) *batch {
	b := batches.Get().(*batch)
	b.params, b.segments, b.linkParam = params, segments, linkParam
	return b
}

// recycle offers b for reuse; nothing may touch it after.
func (b *batch) recycle() {
	clear(b.items) // no phone numbers kept alive by a free batch
	*b = batch{items: b.items[:0]}
	batches.Put(b)
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
	key        []byte // the group key of the row being added
}

func newBatcher(size, maxPending, maxAge int, emit func(*batch)) *batcher {
	return &batcher{groups: make(map[string]*batch), size: size, maxPending: maxPending, maxAge: max(1, maxAge), emit: emit}
}

// add queues one number. params must not be modified afterwards.
func (b *batcher) add(params []string, segments int, it item) {
	b.key = b.key[:0]
	for _, p := range params {
		b.key = append(b.key, p...)
		b.key = append(b.key, 0)
	}
	// Indexing by string(b.key) does not copy the key; only a new group does.
	g := b.groups[string(b.key)]
	if g == nil {
		g = newBatch(params, segments, -1)
		b.groups[string(b.key)] = g
	}
	if b.pending == 0 {
		b.oldest = it.row
	}
	g.items = append(g.items, it)
	b.pending++
	if len(g.items) == b.size {
		delete(b.groups, string(b.key))
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
