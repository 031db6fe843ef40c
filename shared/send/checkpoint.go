package send

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/store"
)

// checkpointer owns the job's State while rows are being sent: it is the
// only writer of the state and of the reservation, and it serialises
// checkpoints. Before sending starts and after every taken row is final,
// the run owns the state again (one goroutine).
type checkpointer struct {
	store store.Store
	st    *State
	tr    *tracker
	stop  *stopper
	now   func() time.Time

	mu         sync.Mutex // serialises checkpoints
	activeMark time.Time  // when State.Active was last advanced
	baseCalls  int        // calls made by earlier runs
	header     []string   // CSV column names, for reader checkpoints

	// reserved: rows up to here may be handed to SendSms (read by the feed
	// without the lock).
	reserved atomic.Int64
	// calls counts SendSms requests of this run (workers add to it).
	calls    atomic.Int64
	encoding atomic.Value // campaign.Encoding, set once by the feed
}

func newCheckpointer(s store.Store, st *State, tr *tracker, stop *stopper, now func() time.Time, started time.Time, header []string) *checkpointer {
	c := &checkpointer{store: s, st: st, tr: tr, stop: stop, now: now, activeMark: started,
		baseCalls: st.Counters.Calls, header: header}
	c.reserved.Store(int64(st.Reserved))
	return c
}

// save commits the report part written so far, then saves the state:
// watermark, reader position, counters and the reservation (rows up to
// reserve may be sent before the next checkpoint; 0 keeps the current one).
// The part is committed first so that the state never claims rows whose
// report lines could be lost.
func (c *checkpointer) save(ctx context.Context, reserve int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop.why() == stopLeaseLost {
		// The state belongs to the new owner now.
		return ErrLeaseLost
	}
	ctx = context.WithoutCancel(ctx)
	snap := c.tr.snapshot()
	if snap.err != nil {
		return snap.err
	}
	if snap.part != nil {
		if err := snap.part.commit(); err != nil {
			return err
		}
	}
	st := c.st
	st.Watermark = snap.watermark
	if snap.watermark > 0 {
		enc, _ := c.encoding.Load().(campaign.Encoding)
		st.Reader = &campaign.Checkpoint{Offset: snap.pos.offset, Line: snap.pos.line, Index: snap.watermark,
			Header: c.header, Encoding: enc}
		st.Encoding = string(enc)
	}
	st.Counters = snap.cnt
	st.Counters.Calls = c.baseCalls + int(c.calls.Load())
	st.Parts = snap.parts
	st.Fatal = c.stop.fatalReason()
	if reserve > 0 {
		st.Reserved = max(st.Reserved, reserve)
	}
	// Rows below the watermark are final: only the rest can be in flight.
	st.Reserved = max(st.Reserved, st.Watermark)
	now := c.now()
	st.Active += now.Sub(c.activeMark)
	c.activeMark = now
	st.Updated = now
	if err := saveState(ctx, c.store, st); err != nil {
		return err
	}
	if reserve > 0 {
		c.reserved.Store(int64(st.Reserved))
	}
	return nil
}

// covers reports whether the saved reservation covers row.
func (c *checkpointer) covers(row int) bool { return int64(row) <= c.reserved.Load() }
