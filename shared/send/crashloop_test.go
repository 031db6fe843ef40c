package send

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sms"
)

// hangOn never returns for one number until the invocation ends, like a
// run that dies at the same row every time.
type hangOn struct {
	sms.Sender
	phone string
}

func (h hangOn) Send(ctx context.Context, req sms.Request) ([]sms.Status, error) {
	if slices.Contains(req.Phones, h.phone) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return h.Sender.Send(ctx, req)
}

func TestCrashLoopFailsInsteadOfResending(t *testing.T) {
	const n, stuck = 300, 150
	e := newEnv(t, func(o *Options) {
		o.Sender = hangOn{Sender: o.Sender, phone: e164(stuck)}
		// Each run ends by the kill (its context ending on the stuck row),
		// never by the safety margin: the default 30 s is more than the 1 s
		// invocation, so the monitor stopped the feed at its first tick,
		// and on a loaded machine the run that detects the crash loop
		// paused before it had marked every row after the stuck one.
		o.SafetyMargin = time.Nanosecond
		o.QPS, o.Workers, o.LeaseTTL = 1000, 4, 200*time.Millisecond
	}, func(o *smsapi.Options) { o.Faults.Latency = 2 * time.Millisecond })
	e.put("uploads/loop.csv", []byte(plainCSV(n)))
	e.putManifest("loop", noticeManifest)
	var out Outcome
	// lastProgress is the last crashed run that moved the watermark. How
	// many runs make progress depends on the machine's speed (a very slow
	// one may stall before the stuck row, which the detector cannot tell
	// from a crash); what follows the last progress does not.
	runs, lastProgress, watermark := 0, 0, 0
	for runs < 30 {
		runs++
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		var err error
		out, err = e.svc.Run(ctx, Upload{Key: "uploads/loop.csv"})
		cancel()
		if err == nil {
			break
		}
		// A crashed run: how far it got is what the next one resumes from.
		if st, lerr := loadState(context.Background(), e.st, out.JobID); lerr != nil || st == nil {
			t.Fatalf("state after run %d: %v", runs, lerr)
		} else if st.Watermark > watermark {
			watermark, lastProgress = st.Watermark, runs
		}
		time.Sleep(250 * time.Millisecond) // the dead run's lease expires
	}
	s := e.summary("loop")
	// The run after MaxStalledRuns resumes without progress fails the job.
	if out.Status != StatusFailed || s.Error == nil || s.Error.Reason != ReasonCrashLoop ||
		s.Runs != runs || runs != lastProgress+e.svc.o.MaxStalledRuns+1 {
		t.Fatalf("after %d runs (last progress in run %d, to row %d): %+v, summary %+v (error %+v)",
			runs, lastProgress, watermark, out, s, s.Error)
	}
	// Rows after the stuck one went out at most once per run before the
	// last, which sends nothing: on the run that first passed it and again
	// on every resume after (three on an idle machine).
	limit := s.Runs - 1
	for p, c := range e.countOutbox() {
		if c > limit {
			t.Errorf("%s got %d messages", p, c)
		}
	}
	rows := e.results("loop")
	if len(rows) != n {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows[stuck-1:] {
		if r.State != StateNotSent || r.Reason != ReasonCrashLoop {
			t.Fatalf("row %+v", r)
		}
	}
}
