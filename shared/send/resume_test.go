package send

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// checkOnce asserts that every sent row got exactly one message and every
// other valid row none, except rows flagged in flight at a crash.
func checkOnce(t *testing.T, e *env, rows []Result) {
	t.Helper()
	counts := e.countOutbox()
	for _, r := range rows {
		got := counts[r.Phone]
		switch {
		case r.State == StateSent && got == 1:
		case r.State == StateSent && got == 2 && r.InFlightAtCrash:
		case r.State != StateSent && r.State != StateUnknown && got == 0:
		default:
			t.Fatalf("row %d %s (in flight %v) got %d messages", r.Row, r.State, r.InFlightAtCrash, got)
		}
	}
}

func TestDeadlinePausesAndTimerResumes(t *testing.T) {
	// Each invocation may take rows for sendFor (at 400/s, well under the
	// 600 rows: three runs at least); the margin after that is the drain
	// budget: finishing the batches in flight and checkpointing. Only the
	// first is what the test is about. The margin is production's default,
	// so that a loaded machine's slow drain does not end the invocation
	// with rows in flight; a run returns as soon as it has drained.
	const sendFor, margin = 700 * time.Millisecond, 30 * time.Second
	e := newEnv(t, func(o *Options) {
		o.QPS, o.SafetyMargin, o.Workers = 400, margin, 4
	}, func(o *smsapi.Options) { o.Faults.Latency = 10 * time.Millisecond })
	const n = 600
	e.put("uploads/big.csv", []byte(plainCSV(n)))
	e.putManifest("big", noticeManifest)

	ctx, cancel := context.WithTimeout(context.Background(), sendFor+margin)
	out := e.run(ctx, "big")
	cancel()
	if out.Status != StatusPaused {
		t.Fatalf("first run: %s", out.Status)
	}
	if s := e.summary("big"); s.State != StatusPaused || s.Rows == 0 || s.Rows >= n {
		t.Fatalf("paused summary %+v", s)
	}
	raw, err := e.bucket.ReadAll(context.Background(), "reports/big/progress.json")
	if err != nil {
		t.Fatal(err)
	}
	var p Progress
	if err := json.Unmarshal(raw, &p); err != nil || p.State != StatusPaused || p.Processed == 0 || p.BytesRead == 0 || p.BytesTotal <= p.BytesRead {
		t.Fatalf("progress %s %v", raw, err)
	}
	runs := 1
	for ; runs < 20; runs++ {
		ctx, cancel := context.WithTimeout(context.Background(), sendFor+margin)
		outs, err := e.svc.ResumeDue(ctx)
		cancel()
		if err != nil {
			// A slow machine can miss the margin; the next run resumes
			// that as a crash, which checkOnce allows for.
			t.Logf("run %d: %v", runs+1, err)
		}
		if len(outs) == 1 && outs[0].Status == StatusDone {
			break
		}
	}
	rows := e.results("big")
	s := e.summary("big")
	if len(rows) != n || s.Sent != n || s.State != StatusDone || s.Runs != runs+1 || s.Runs < 3 {
		t.Fatalf("after %d runs: %d rows, summary %+v", runs+1, len(rows), s)
	}
	checkOnce(t, e, rows)
	// Finished jobs leave the index.
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 0 {
		t.Errorf("index after done: %v %v", outs, err)
	}
}

func TestCrashedRunResumesAndFlagsInFlightRows(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.QPS, o.LeaseTTL = 500, 300*time.Millisecond
	}, func(o *smsapi.Options) { o.Faults.Latency = 20 * time.Millisecond })
	const n = 800
	e.put("uploads/crash.csv", []byte(plainCSV(n)))
	e.putManifest("crash", noticeManifest)

	// A context that ends without the safety margin is what SCF's kill
	// looks like from inside: workers give up mid-batch. It ends once the
	// sandbox accepted 100 messages, not at a fixed time: on a loaded
	// machine the start alone can take longer than any fixed delay. At
	// 500/s most of the 800 rows are still to go then.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for e.srv.Count() < 100 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := e.svc.Run(ctx, Upload{Key: "uploads/crash.csv"})
	if err == nil {
		t.Fatal("crashed run returned nil")
	}
	before := e.srv.Count()
	if before == 0 || before >= n {
		t.Fatalf("%d sent before the crash", before)
	}
	// The timer finds the abandoned job through the index.
	time.Sleep(400 * time.Millisecond) // the dead run's lease expires
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("resume: %+v %v", outs, err)
	}
	rows := e.results("crash")
	s := e.summary("crash")
	if len(rows) != n || s.Sent != n {
		t.Fatalf("%d rows, summary %+v", len(rows), s)
	}
	if s.InFlightAtCrash == 0 {
		t.Error("no rows flagged in flight at the crash")
	}
	checkOnce(t, e, rows)
}

func TestSameUploadTwiceAtOnceAndLater(t *testing.T) {
	e := newEnv(t, nil, func(o *smsapi.Options) { o.Faults.Latency = 5 * time.Millisecond })
	const n = 500
	e.put("uploads/dup.csv", []byte(plainCSV(n)))
	e.putManifest("dup", noticeManifest)
	var wg sync.WaitGroup
	outs := make([]Outcome, 2)
	for i := range outs {
		wg.Go(func() { outs[i] = e.run(context.Background(), "dup") })
	}
	wg.Wait()
	if (outs[0].Status == StatusDone) == (outs[1].Status == StatusDone) {
		t.Fatalf("both or neither ran: %+v", outs)
	}
	later := e.run(context.Background(), "dup")
	if later.Status != StatusDone || later.Note != "already finished" {
		t.Errorf("later run: %+v", later)
	}
	for p, c := range e.countOutbox() {
		if c != 1 {
			t.Fatalf("%s got %d messages", p, c)
		}
	}
	if e.srv.Count() != n {
		t.Errorf("outbox %d, summary %+v, stats %+v", e.srv.Count(), e.summary("dup"), e.srv.Stats())
	}
}

func TestOutsideSendWindowIsDeferred(t *testing.T) {
	now := time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	clock := func() time.Time { return now }
	e := newEnv(t, func(o *Options) { o.Now = clock }, nil)
	e.put("uploads/late.csv", []byte(plainCSV(10)))
	m := map[string]any{"send_window": map[string]any{"start": "09:00", "end": "21:00"}}
	for k, v := range noticeManifest {
		m[k] = v
	}
	e.putManifest("late", m)
	if out := e.run(context.Background(), "late"); out.Status != StatusDeferred {
		t.Fatalf("status %+v", out)
	}
	s := e.summary("late")
	want := time.Date(2026, 3, 3, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if s.State != StatusDeferred || s.NextAttempt != want.Format(time.RFC3339) || e.srv.Count() != 0 {
		t.Fatalf("summary %+v", s)
	}
	// Not due yet: the timer leaves it.
	if outs, _ := e.svc.ResumeDue(context.Background()); len(outs) != 0 {
		t.Fatalf("resumed early: %+v", outs)
	}
	now = want.Add(time.Minute)
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("resume at 09:01: %+v %v", outs, err)
	}
	if e.srv.Count() != 10 {
		t.Errorf("outbox %d", e.srv.Count())
	}
}

func TestMarketingOutsideHoursIsDeferred(t *testing.T) {
	night := time.Date(2026, 3, 2, 22, 0, 0, 0, time.FixedZone("CST", 8*3600))
	e := newEnv(t, func(o *Options) { o.Now = func() time.Time { return night } }, nil)
	e.put("uploads/mkt.csv", []byte(plainCSV(3)))
	e.putManifest("mkt", map[string]any{"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarket,
		"template_text": templates[tplMarket].Text, "target": map[string]any{"path": "pages/index/index"},
		"params": []any{map[string]any{"const": "亲"}}})
	if out := e.run(context.Background(), "mkt"); out.Status != StatusDeferred {
		t.Fatalf("%+v", out)
	}
	if e.srv.Count() != 0 {
		t.Fatal("sent at night")
	}
}

func TestPersonalLinksGetCodes(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("uploads/p.csv", []byte("phone,uid\n13900000001,u1\n13900000002,u2\n"))
	e.putManifest("p", map[string]any{"campaign_id": "spring", "sms_type": "notification", "template_id": tplPersonal,
		"template_text": templates[tplPersonal].Text, "link_mode": "personal",
		"target": map[string]any{"path": "pages/index/index", "query": "from=sms", "cq": "uid={{uid}}"},
		"page":   map[string]any{"title": "春季会员日", "poster": "https://h5.example.cn/p.jpg", "fallback": map[string]any{"path": "pages/home/index"}},
		"params": []any{map[string]any{"link": true}}})
	if out := e.run(context.Background(), "p"); out.Status != StatusDone {
		t.Fatalf("%+v %+v", out, e.summary("p"))
	}
	reg := link.NewRegistry(e.st, nil, link.Options{})
	msgs := e.srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, m := range msgs {
		c, err := reg.Resolve(context.Background(), m.Params[0])
		if err != nil {
			t.Fatalf("code %q: %v", m.Params[0], err)
		}
		row := map[string]string{"+8613900000001": "1", "+8613900000002": "2"}[m.Phone]
		// One target for everyone; per-row values ride in cq.
		if c.Campaign != "spring" || c.CQ != "r"+row+"&uid=u"+row || c.Query != "" {
			t.Errorf("code of %s: %+v", m.Phone, c)
		}
	}
	if camp, err := reg.Campaign(context.Background(), "spring"); err != nil || camp.Target.Path != "pages/index/index" || camp.Target.Query != "from=sms" ||
		camp.Page.Title != "春季会员日" || camp.Page.Poster != "https://h5.example.cn/p.jpg" || camp.Page.Fallback == nil || camp.Page.Fallback.Path != "pages/home/index" {
		t.Errorf("campaign %+v %v", camp, err)
	}
}

func TestWindowClosingMidRunDefersAndResumes(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 21, 59, 0, 0, cst)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	// No margin: the monitor, not the margin, notices the window closing.
	e := newEnv(t, func(o *Options) { o.Now, o.QPS, o.Workers, o.WindowMargin = clock, 300, 4, -1 }, nil)
	const n = 600
	e.put("uploads/eve.csv", []byte(plainCSV(n)))
	e.putManifest("eve", map[string]any{"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarket,
		"template_text": templates[tplMarket].Text, "target": map[string]any{"path": "pages/index/index"},
		"params": []any{map[string]any{"column": "name"}}})
	time.AfterFunc(500*time.Millisecond, func() { set(time.Date(2026, 3, 2, 22, 0, 0, 0, cst)) })
	if out := e.run(context.Background(), "eve"); out.Status != StatusDeferred {
		t.Fatalf("%+v", out)
	}
	s := e.summary("eve")
	if s.Sent == 0 || s.Sent >= n || s.NextAttempt != "2026-03-03T08:00:00+08:00" {
		t.Fatalf("deferred summary %+v", s)
	}
	set(time.Date(2026, 3, 3, 8, 0, 30, 0, cst))
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("%+v %v", outs, err)
	}
	rows := e.results("eve")
	if s := e.summary("eve"); len(rows) != n || s.Sent != n || s.Runs != 2 {
		t.Fatalf("summary %+v", s)
	}
	checkOnce(t, e, rows)
}
