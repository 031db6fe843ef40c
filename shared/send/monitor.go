package send

import (
	"context"
	"errors"
	"time"
)

// monitor checkpoints, writes progress.json and watches the deadline and
// the send window, until ctx ends. If the invocation's context ends first,
// nothing can finish any more: it unblocks the feed.
func (r *run) monitor(ctx, invocation context.Context) {
	stopAt := time.Time{}
	if d, ok := ctx.Deadline(); ok {
		stopAt = d.Add(-r.s.o.SafetyMargin)
	}
	tick := time.NewTicker(min(r.s.o.CheckpointEvery, 250*time.Millisecond))
	defer tick.Stop()
	lastCk, lastProgress, lastControl := time.Now(), time.Time{}, time.Now()
	for {
		select {
		case <-ctx.Done():
			if invocation.Err() != nil {
				r.stop.abort(context.Cause(invocation))
				r.tr.close()
			}
			return
		case now := <-tick.C:
			switch {
			case !stopAt.IsZero() && now.After(stopAt):
				r.stop.request(stopDeadline)
			case !r.m.DryRun && !r.inWindow(r.s.o.Now()):
				r.stop.request(stopWindow)
			}
			if now.Sub(lastCk) >= r.s.o.CheckpointEvery {
				lastCk = now
				// A failed periodic checkpoint is tried again next time;
				// meanwhile the feed waits for its own reservation.
				if err := r.ck.save(ctx, r.fd.reserveAhead()); err != nil && !errors.Is(err, ErrLeaseLost) {
					r.log.Warn("send-sms: checkpoint failed; trying again", "err", err)
				}
			}
			if now.Sub(lastControl) >= r.s.o.ControlEvery {
				lastControl = now
				if sup, err := r.superseded(ctx); err != nil {
					r.log.Warn("send-sms: current job not checked", "err", err)
				} else if sup {
					r.log.Info("send-sms: a newer upload of the name supersedes this job; stopping at the next batch")
					r.stop.request(stopSuperseded)
				}
				if stop, err := r.s.stopRequested(ctx, r.u); err != nil {
					r.log.Warn("send-sms: stop file not checked", "err", err)
				} else if stop {
					r.log.Info("send-sms: stop requested; stopping at the next batch", "file", stopKey(r.u))
					r.stop.request(stopOperator)
				}
			}
			if now.Sub(lastProgress) >= r.s.o.ProgressEvery {
				lastProgress = now
				r.writeProgress(ctx)
			}
		}
	}
}
