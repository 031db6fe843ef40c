package send

import (
	"errors"
	"maps"
	"sync"
)

// errTrackerClosed: the job is aborting; no more rows are taken.
var errTrackerClosed = errors.New("send: tracker closed")

// position is the CSV reader's place just after a row.
type position struct {
	offset int64
	line   int
}

type slot struct {
	res        Result
	pos        position
	done       bool
	dispatched bool
}

// tracker holds the rows between the watermark and the reader. Rows arrive
// in order (add) and finish in any order (finish); finished rows are passed
// to the part writer in row order, so every part is sorted and parts follow
// each other. The ring bounds memory: add blocks while it is full.
type tracker struct {
	mu    sync.Mutex
	space *sync.Cond
	ring  []slot
	head  int
	n     int
	base  int      // row number of ring[head], i.e. watermark+1
	pos   position // after the watermark row
	cnt   Counters
	crash Ranges
	out   *partWriter
	err   error // first write error; the job aborts on it
	shut  bool
}

func newTracker(window int, watermark int, pos position, cnt Counters, crash Ranges, out *partWriter) *tracker {
	t := &tracker{ring: make([]slot, window), base: watermark + 1, pos: pos, cnt: cnt, crash: crash, out: out}
	if t.cnt.ByReason != nil {
		t.cnt.ByReason = maps.Clone(t.cnt.ByReason)
	}
	t.space = sync.NewCond(&t.mu)
	return t
}

// add registers the next row (row must be watermark+1+pending rows).
func (t *tracker) add(row int, pos position) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.n == len(t.ring) && !t.shut {
		t.space.Wait()
	}
	if t.shut {
		return errTrackerClosed
	}
	if t.err != nil {
		return t.err
	}
	if row != t.base+t.n {
		return errors.New("send: rows out of order in tracker")
	}
	s := &t.ring[(t.head+t.n)%len(t.ring)]
	*s = slot{pos: pos}
	t.n++
	return nil
}

// dispatched marks rows handed to a worker.
func (t *tracker) dispatched(rows []item) {
	t.mu.Lock()
	for _, it := range rows {
		t.ring[(t.head+it.row-t.base)%len(t.ring)].dispatched = true
	}
	t.mu.Unlock()
}

// finish records a row's final result and emits every row that became
// contiguous with the watermark.
func (t *tracker) finish(r Result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := r.Row - t.base
	if i < 0 || i >= t.n {
		return // a row finished twice would be a bug; never emit it twice
	}
	s := &t.ring[(t.head+i)%len(t.ring)]
	if s.done {
		return
	}
	s.res, s.done = r, true
	if i != 0 {
		return
	}
	freed := false
	for t.n > 0 {
		s := &t.ring[t.head]
		if !s.done {
			break
		}
		res := &s.res
		res.InFlightAtCrash = res.State != StateRejected && t.crash.Contains(res.Row)
		if t.err == nil {
			t.err = t.out.write(res)
		}
		t.cnt.add(res)
		t.pos = s.pos
		*s = slot{}
		t.head = (t.head + 1) % len(t.ring)
		t.n--
		t.base++
		freed = true
	}
	if freed {
		t.space.Broadcast()
	}
}

// snapshot is a consistent view for a checkpoint; part is the part writer
// to commit before the checkpoint is saved (nil if nothing was written).
type snapshot struct {
	watermark int
	pos       position
	cnt       Counters
	part      *openPart
	parts     int // committed parts once part is closed
	pending   int
	err       error
}

func (t *tracker) snapshot() snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := snapshot{watermark: t.base - 1, pos: t.pos, cnt: t.cnt, pending: t.n, err: t.err}
	s.cnt.ByReason = maps.Clone(t.cnt.ByReason)
	s.part, s.parts = t.out.detach()
	return s
}

// carry returns the finished rows past the first open one, in row order.
func (t *tracker) carry() []Result {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Result
	for i := range t.n {
		if s := &t.ring[(t.head+i)%len(t.ring)]; s.done {
			out = append(out, s.res)
		}
	}
	return out
}

// pendingRows is how many rows are between the watermark and the reader.
func (t *tracker) pendingRows() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// close wakes a blocked add; used when the job aborts.
func (t *tracker) close() {
	t.mu.Lock()
	t.shut = true
	t.mu.Unlock()
	t.space.Broadcast()
}

// peek is a snapshot for progress reports; it leaves the part alone.
func (t *tracker) peek() snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	return snapshot{watermark: t.base - 1, pos: t.pos, cnt: t.cnt, pending: t.n}
}
