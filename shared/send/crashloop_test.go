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
		o.QPS, o.Workers, o.LeaseTTL = 1000, 4, 200*time.Millisecond
	}, func(o *smsapi.Options) { o.Faults.Latency = 2 * time.Millisecond })
	e.put("uploads/loop.csv", []byte(plainCSV(n)))
	e.putManifest("loop", noticeManifest)
	var out Outcome
	runs := 0
	for ; runs < 8; runs++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		var err error
		out, err = e.svc.Run(ctx, Upload{Key: "uploads/loop.csv"})
		cancel()
		if err == nil {
			break
		}
		time.Sleep(250 * time.Millisecond) // the dead run's lease expires
	}
	s := e.summary("loop")
	if out.Status != StatusFailed || s.Error == nil || s.Error.Reason != ReasonCrashLoop || s.Runs > 6 {
		t.Fatalf("after %d runs: %+v, summary %+v (error %+v)", runs+1, out, s, s.Error)
	}
	// Rows after the stuck one went out on the run that first reached it
	// and were sent again by the two resumes that made no progress; a
	// loaded machine may need one more run to reach the stuck row.
	limit := 3 + (s.Runs - 4)
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
