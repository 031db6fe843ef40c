package send

import (
	"context"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/sms"
)

// checkpoint commits the report part written so far, then saves the state:
// watermark, reader position, counters and the reservation (rows up to
// reserve may be sent before the next checkpoint; 0 keeps the current one).
// The part is committed first so that the state never claims rows whose
// report lines could be lost.
func (r *run) checkpoint(ctx context.Context, reserve int) error {
	r.ckMu.Lock()
	defer r.ckMu.Unlock()
	if stopCause(r.stop.Load()) == stopLeaseLost {
		// The state belongs to the new owner now.
		return ErrLeaseLost
	}
	ctx = context.WithoutCancel(ctx)
	snap := r.tr.snapshot()
	if snap.err != nil {
		return snap.err
	}
	if snap.part != nil {
		if err := snap.part.commit(); err != nil {
			return err
		}
	}
	st := r.st
	st.Watermark = snap.watermark
	if snap.watermark > 0 {
		enc, _ := r.encoding.Load().(campaign.Encoding)
		st.Reader = &campaign.Checkpoint{Offset: snap.pos.offset, Line: snap.pos.line, Index: snap.watermark,
			Header: r.header, Encoding: enc}
		st.Encoding = string(enc)
	}
	st.Counters = snap.cnt
	st.Counters.Calls = r.baseCalls + int(r.calls.Load())
	st.Parts = snap.parts
	st.Fatal = r.fatal.Load()
	if reserve > 0 {
		st.Reserved = max(st.Reserved, reserve)
	}
	// Rows below the watermark are final: only the rest can be in flight.
	st.Reserved = max(st.Reserved, st.Watermark)
	now := r.s.o.Now()
	st.Active += now.Sub(r.lastActive(now))
	st.Updated = now
	if err := saveState(ctx, r.s.o.Store, st); err != nil {
		return err
	}
	if reserve > 0 {
		r.reserved.Store(int64(st.Reserved))
	}
	return nil
}

// lastActive returns the time Active was last advanced and moves it to now.
func (r *run) lastActive(now time.Time) time.Time {
	prev := r.activeMark
	if prev.IsZero() {
		prev = r.started
	}
	r.activeMark = now
	return prev
}

// monitor checkpoints, renews the lease, writes progress.json and watches
// the deadline and the send window, until ctx ends. If the invocation's
// context ends first, nothing can finish any more: it unblocks the feed.
func (r *run) monitor(ctx, invocation context.Context) {
	stopAt := time.Time{}
	if d, ok := ctx.Deadline(); ok {
		stopAt = d.Add(-r.s.o.SafetyMargin)
	}
	tick := time.NewTicker(min(r.s.o.CheckpointEvery, 250*time.Millisecond))
	defer tick.Stop()
	lastCk, lastProgress, lastRenew := time.Now(), time.Time{}, time.Now()
	var lastDispatched int64
	for {
		select {
		case <-ctx.Done():
			if invocation.Err() != nil {
				r.abort(context.Cause(invocation))
				r.tr.close()
			}
			return
		case now := <-tick.C:
			switch {
			case !stopAt.IsZero() && now.After(stopAt):
				r.stop.CompareAndSwap(int32(keepGoing), int32(stopDeadline))
			case !r.m.DryRun && !r.window.Contains(r.s.o.Now()):
				r.stop.CompareAndSwap(int32(keepGoing), int32(stopWindow))
			}
			if now.Sub(lastRenew) >= r.s.o.LeaseTTL/4 {
				lastRenew = now
				if err := r.lease.renew(ctx); err != nil {
					r.log.Error("send-sms: lease renewal failed; stopping", "err", err)
					r.stop.Store(int32(stopLeaseLost))
				}
			}
			if now.Sub(lastCk) >= r.s.o.CheckpointEvery {
				lastCk = now
				d := r.dispatchedRows.Load()
				r.dispatchRate.Store(max(1, d-lastDispatched))
				lastDispatched = d
				// Keep the reservation ahead of the workers so the feed
				// does not stop for a checkpoint of its own.
				reserve := 0
				if high := int(r.dispatchedHigh.Load()); high > 0 {
					reserve = high + max(sms.MaxPhones, 2*int(r.dispatchRate.Load()))
				}
				if err := r.checkpoint(ctx, reserve); err != nil {
					r.log.Error("send-sms: checkpoint failed; stopping", "err", err)
					r.abort(err)
				}
			}
			if now.Sub(lastProgress) >= r.s.o.ProgressEvery {
				lastProgress = now
				r.writeProgress(ctx)
			}
		}
	}
}
