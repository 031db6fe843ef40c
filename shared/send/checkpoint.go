package send

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
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
	// aud records each part's messaged numbers before the part is
	// committed (nil: nothing to record).
	aud *audience.JobGate

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
//
// A failed part commit loses report lines: the job aborts. A failed state
// write changes nothing that was saved: the caller may retry.
func (c *checkpointer) save(ctx context.Context, reserve int) error {
	return c.saveAt(ctx, reserve, false)
}

// saveFinal is the checkpoint after the workers stopped, retried through
// store blips: it is what keeps the rows sent by this run from being sent
// again. With every taken row final, nothing is in flight any more.
func (c *checkpointer) saveFinal(ctx context.Context, tries int, wait time.Duration) error {
	var err error
	for i := range tries {
		if err = c.saveAt(ctx, 0, true); err == nil || errors.Is(err, ErrLeaseLost) || errors.Is(err, errPartLost) {
			return err
		}
		if i < tries-1 {
			time.Sleep(min(wait<<i, 5*time.Second))
		}
	}
	return err
}

// errPartLost marks a failed part commit: its lines are gone.
var errPartLost = errors.New("report part not committed")

func (c *checkpointer) saveAt(ctx context.Context, reserve int, final bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop.why() == stopLeaseLost {
		// The state belongs to the new owner now.
		return ErrLeaseLost
	}
	ctx = context.WithoutCancel(ctx)
	snap := c.tr.snapshot()
	if snap.err != nil {
		return fmt.Errorf("%w: %w", errPartLost, snap.err)
	}
	if snap.part != nil {
		// The ledger learns a part's numbers before the part counts: a
		// crash in between leaves a segment the resumed run cuts off and
		// writes again, never one counted twice.
		if err := c.aud.Sent(ctx, snap.parts-1, snap.part.sent); err != nil {
			return err
		}
		if err := snap.part.commit(); err != nil {
			err = fmt.Errorf("%w: %w", errPartLost, err)
			c.stop.abort(err)
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
	if final && snap.pending == 0 {
		st.Reserved = st.Watermark
	}
	now := c.now()
	st.Active += now.Sub(c.activeMark)
	c.activeMark = now
	st.Updated = now
	if err := saveState(ctx, c.store, st); err != nil {
		return err
	}
	if reserve > 0 || final {
		c.reserved.Store(int64(st.Reserved))
	}
	return nil
}

// covers reports whether the saved reservation covers row.
func (c *checkpointer) covers(row int) bool { return int64(row) <= c.reserved.Load() }
