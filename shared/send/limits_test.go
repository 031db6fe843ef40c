package send

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// sharedClock is one clock for the job and the sandbox: it runs at real
// speed from a set time, and can jump.
type sharedClock struct {
	mu   sync.Mutex
	base time.Time
	real time.Time
}

func newSharedClock(t time.Time) *sharedClock { return &sharedClock{base: t, real: time.Now()} }

func (c *sharedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.real))
}

func (c *sharedClock) Set(t time.Time) {
	c.mu.Lock()
	c.base, c.real = t, time.Now()
	c.mu.Unlock()
}

var marketingManifest = map[string]any{"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarket,
	"template_text": templates[tplMarket].Text, "target": map[string]any{"path": "pages/index/index"},
	"params": []any{map[string]any{"column": "name"}}}

// checkAllSentOnce: every row sent, each number exactly once.
func checkAllSentOnce(t *testing.T, e *env, name string, n int) {
	t.Helper()
	rows := e.results(name)
	s := e.summary(name)
	if len(rows) != n || s.Sent != n || s.State != StatusDone || s.NotSent != 0 {
		t.Fatalf("summary %+v", s)
	}
	for i, r := range rows {
		if r.Row != i+1 || r.State != StateSent {
			t.Fatalf("row %+v", r)
		}
	}
	counts := e.countOutbox()
	for i := 1; i <= n; i++ {
		if counts[e164(i)] != 1 {
			t.Fatalf("%s got %d messages", e164(i), counts[e164(i)])
		}
	}
}

// The sandbox refuses marketing SMS from 22:00 on; a job still sending
// then is deferred to 08:00 and loses nothing.
func TestWindowEdgeLosesNothing(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	// The window ends once the sandbox has accepted some messages, not at
	// a fixed instant after the clock starts: on a loaded machine the job's
	// start alone can outlast any head start, and nothing is sent before
	// 22:00. At 400/s the job cannot send the other rows in the moment it
	// takes to notice the count.
	const before = 100
	clock := newSharedClock(time.Date(2026, 3, 2, 21, 59, 0, 0, cst))
	e := newEnv(t, func(o *Options) {
		// No margin and a slow monitor: calls do reach the sandbox after
		// 22:00 and meet MarketingSendTimeConstraint.
		o.Now, o.QPS, o.Workers, o.WindowMargin, o.CheckpointEvery = clock.Now, 400, 8, -1, 2*time.Second
	}, func(o *smsapi.Options) { o.Now = clock.Now })
	const n = 1000
	e.put("uploads/edge.csv", []byte(plainCSV(n)))
	e.putManifest("edge", marketingManifest)
	done := make(chan struct{})
	go func() {
		for e.srv.Count() < before {
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
		clock.Set(time.Date(2026, 3, 2, 22, 0, 0, 0, cst))
	}()
	out := e.run(context.Background(), "edge")
	close(done)
	if out.Status != StatusDeferred {
		t.Fatalf("%+v", out)
	}
	s := e.summary("edge")
	if s.Sent == 0 || s.Sent >= n || s.NextAttempt != "2026-03-03T08:00:00+08:00" || s.NotSent != 0 || s.Error != nil {
		t.Fatalf("deferred summary %+v", s)
	}
	if st := e.srv.Stats(); st.RequestErrors[smsapi.CodeMarketingSendTime] == 0 {
		t.Fatalf("the job never met the window's end: %+v", st)
	}
	clock.Set(time.Date(2026, 3, 3, 8, 0, 1, 0, cst))
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("resume at 08:00: %+v %v", outs, err)
	}
	checkAllSentOnce(t, e, "edge", n)
}

// A margin before the window's end: no batch starts in the last minutes.
func TestWindowMarginDefersBeforeTheEnd(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	clock := newSharedClock(time.Date(2026, 3, 2, 21, 58, 30, 0, cst))
	e := newEnv(t, func(o *Options) { o.Now = clock.Now }, func(o *smsapi.Options) { o.Now = clock.Now })
	e.put("uploads/late.csv", []byte(plainCSV(10)))
	e.putManifest("late", marketingManifest)
	if out := e.run(context.Background(), "late"); out.Status != StatusDeferred {
		t.Fatalf("%+v", out)
	}
	if s := e.summary("late"); s.NextAttempt != "2026-03-03T08:00:00+08:00" || e.srv.Count() != 0 {
		t.Fatalf("summary %+v, outbox %d", s, e.srv.Count())
	}
}

// The application's daily total defers the job to the next Beijing day;
// the numbers refused are sent then, none twice.
func TestAppDailyLimitDefersToTomorrow(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	clock := newSharedClock(time.Date(2026, 3, 2, 15, 0, 0, 0, cst))
	e := newEnv(t, func(o *Options) { o.Now, o.Workers = clock.Now, 4 },
		func(o *smsapi.Options) { o.Now, o.AppDailyLimit = clock.Now, 250 })
	const n = 700
	e.put("uploads/daily.csv", []byte(plainCSV(n)))
	e.putManifest("daily", noticeManifest)
	for day, want := range []Status{StatusDeferred, StatusDeferred, StatusDone} {
		var out Outcome
		if day == 0 {
			out = e.run(context.Background(), "daily")
		} else {
			clock.Set(time.Date(2026, 3, 2+day, 0, 0, 5, 0, cst))
			outs, err := e.svc.ResumeDue(context.Background())
			if err != nil || len(outs) != 1 {
				t.Fatalf("day %d: %+v %v", day, outs, err)
			}
			out = outs[0]
		}
		if out.Status != want {
			t.Fatalf("day %d: %+v %+v", day, out, e.summary("daily"))
		}
		s := e.summary("daily")
		if want == StatusDeferred && (s.NextAttempt != time.Date(2026, 3, 3+day, 0, 0, 0, 0, cst).Format(time.RFC3339) || s.DeferredBy != "LimitExceeded.AppDailyLimit") {
			t.Fatalf("day %d: %+v", day, s)
		}
		if got := e.srv.Count(); got != min(n, 250*(day+1)) {
			t.Fatalf("day %d: outbox %d", day, got)
		}
	}
	checkAllSentOnce(t, e, "daily", n)
}

// A fatal answer stops the job and summary.json names the console fix.
func TestFatalSummaryNamesTheFix(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Workers = 1 }, func(o *smsapi.Options) { o.Faults.BalanceAfter = 5 })
	e.put("uploads/broke.csv", []byte(plainCSV(20)))
	e.putManifest("broke", noticeManifest)
	if out := e.run(context.Background(), "broke"); out.Status != StatusFailed {
		t.Fatalf("%+v", out)
	}
	s := e.summary("broke")
	if s.Error == nil || s.Error.Code != "FailedOperation.InsufficientBalanceInSmsPackage" || !strings.Contains(s.Error.Fix, "套餐包管理") {
		t.Fatalf("summary error %+v", s.Error)
	}
}
