package send

import (
	"context"
	"fmt"
	"time"
)

// finish decides the job's status after the feed stopped and every taken
// row is final.
func (r *run) finish(ctx context.Context, eof bool) (Status, error) {
	now := r.s.o.Now()
	switch r.stop.why() {
	case stopLeaseLost:
		// Another invocation owns the job now; touch nothing more.
		return StatusRunning, ErrLeaseLost
	case stopAbort:
		return StatusRunning, r.stop.abortErr()
	}
	if until, code := r.stop.limited(); !until.IsZero() {
		return r.deferLimit(ctx, until, code, now)
	}
	if n := r.tr.pendingRows(); n > 0 {
		// Only a dead invocation leaves rows open; the reservation covers
		// them and the retry resumes.
		return StatusRunning, fmt.Errorf("send-sms: invocation ended with %d rows in flight: %w", n, context.Cause(ctx))
	}
	if eof {
		status := StatusDone
		if r.st.Fatal != nil {
			status = StatusFailed
		}
		return r.complete(ctx, status, now)
	}
	switch r.stop.why() {
	case stopWindow:
		return r.defer_(ctx, now)
	case stopOperator:
		return r.suspend(ctx, StatusStopped, now)
	case stopSuperseded:
		return r.complete(ctx, StatusSuperseded, now)
	}
	return r.suspend(ctx, StatusPaused, now)
}

// complete merges the report parts into result.csv and writes the summary.
func (r *run) complete(ctx context.Context, status Status, now time.Time) (Status, error) {
	ctx = context.WithoutCancel(ctx)
	pfx := r.prefix
	if err := mergeParts(ctx, r.s.o.Bucket, pfx+".parts/", r.st.Parts, pfx+"result.csv", r.firstLines()); err != nil {
		return StatusRunning, err
	}
	if err := r.st.moveTo(status); err != nil {
		return StatusRunning, err
	}
	r.st.Finished, r.st.Reserved = now, r.st.Watermark
	if err := r.s.writeSummary(ctx, r.st, now); err != nil {
		return StatusRunning, err
	}
	// The state is final before the parts and the index go: a crash in
	// between leaves litter, never a job that would run again.
	if err := r.persist(ctx); err != nil {
		return StatusRunning, err
	}
	r.writeProgress(ctx)
	// A superseded job keeps its parts: a carry file among them tells the
	// next version what else it sent.
	if status != StatusSuperseded {
		if err := deleteParts(ctx, r.s.o.Bucket, pfx+".parts/"); err != nil {
			r.log.Warn("send-sms: report parts left behind", "err", err)
		}
	}
	if err := r.s.dropIndex(ctx, r.jobID); err != nil {
		r.log.Warn("send-sms: job index entry left behind", "err", err)
	}
	c := r.st.Counters
	r.log.Info("send-sms: job finished", "status", status, "rows", c.Rows, "sent", c.Sent, "rejected", c.Rejected,
		"failed", c.Failed, "unknown", c.Unknown, "not_sent", c.NotSent, "segments", c.Segments, "calls", c.Calls)
	return status, nil
}

// defer_ parks the job until its send window opens (with the margin: a job
// that would meet the window's end within it waits for the next opening).
func (r *run) defer_(ctx context.Context, now time.Time) (Status, error) {
	r.st.NextAttempt = r.window.Next(now)
	if r.window.Contains(now) {
		r.st.NextAttempt = r.window.Next(now.Add(r.s.o.WindowMargin))
	}
	r.log.Info("send-sms: outside the send window; deferred", "window_start", r.window.Start,
		"window_end", r.window.End, "next_attempt", r.st.NextAttempt)
	return r.suspend(ctx, StatusDeferred, now)
}

// suspend saves a paused or deferred job for the timer.
func (r *run) suspend(ctx context.Context, status Status, now time.Time) (Status, error) {
	ctx = context.WithoutCancel(ctx)
	if err := r.st.moveTo(status); err != nil {
		return StatusRunning, err
	}
	r.st.Updated = now
	if r.st.Reserved < r.st.Watermark {
		r.st.Reserved = r.st.Watermark
	}
	if err := r.persist(ctx); err != nil {
		return StatusRunning, err
	}
	if err := r.s.putIndex(ctx, r.st); err != nil {
		return status, err
	}
	if err := r.s.writeSummary(ctx, r.st, now); err != nil {
		return status, err
	}
	if r.tr != nil {
		r.writeProgress(ctx)
	}
	r.log.Info("send-sms: job suspended", "status", status, "watermark", r.st.Watermark)
	return status, nil
}

// fail ends a job that cannot read its CSV at all.
func (r *run) fail(ctx context.Context, f *Fatal) (Status, error) {
	r.stop.setFatal(f)
	r.st.Fatal = f
	now := r.s.o.Now()
	if err := r.st.moveTo(StatusFailed); err != nil {
		return StatusRunning, err
	}
	r.st.Finished = now
	ctx = context.WithoutCancel(ctx)
	pfx := r.prefix
	if err := mergeParts(ctx, r.s.o.Bucket, pfx+".parts/", r.st.Parts, pfx+"result.csv", r.firstLines()); err != nil {
		return StatusRunning, err
	}
	if err := r.s.writeSummary(ctx, r.st, now); err != nil {
		return StatusRunning, err
	}
	if err := r.persist(ctx); err != nil {
		return StatusRunning, err
	}
	if err := r.s.dropIndex(ctx, r.jobID); err != nil {
		r.log.Warn("send-sms: job index entry left behind", "err", err)
	}
	return StatusFailed, nil
}

// persist saves the state at the end of a run, through store blips: a
// state left behind as running would make the next run flag (and send
// again) rows this one already finished.
func (r *run) persist(ctx context.Context) error {
	var err error
	for i := range r.s.o.FinalCheckpointTries {
		if err = saveState(ctx, r.s.o.Store, r.st); err == nil {
			return nil
		}
		if i < r.s.o.FinalCheckpointTries-1 {
			time.Sleep(min(r.s.o.RetryBase<<i, 5*time.Second))
		}
	}
	return err
}

// firstLines hands the feed's duplicated numbers to the merge. The
// duplicate set goes first: the feed is done with it, and the memory it
// frees holds the merge's table.
func (r *run) firstLines() *firstLines {
	if r.fd == nil {
		return nil
	}
	r.fd.dups = nil
	fl := newFirstLines(r.fd.repeated)
	if fl != nil {
		r.fd.repeated = fl.keys // sorted and compacted in place
	}
	return fl
}
