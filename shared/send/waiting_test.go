package send

import (
	"context"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

func TestCSVBeforeManifestWaitsForIt(t *testing.T) {
	clock := newSharedClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	e := newEnv(t, func(o *Options) { o.Now = clock.Now }, nil)
	e.put("uploads/late.csv", []byte(plainCSV(30)))
	if out := e.run(context.Background(), "late"); out.Status != StatusWaitingManifest {
		t.Fatalf("%+v", out)
	}
	if s := e.summary("late"); s.State != StatusWaitingManifest || e.srv.Count() != 0 {
		t.Fatalf("%+v, outbox %d", s, e.srv.Count())
	}
	// The timer looks again: still nothing.
	clock.Set(clock.Now().Add(2 * time.Minute))
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 1 || outs[0].Status != StatusWaitingManifest {
		t.Fatalf("%+v %v", outs, err)
	}
	e.putManifest("late", noticeManifest)
	clock.Set(clock.Now().Add(2 * time.Minute))
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("%+v %v", outs, err)
	}
	checkAllSentOnce(t, e, "late", 30)
	// Nothing is left for the timer, and the CSV event redelivered now is
	// the finished job of the CSV with its manifest.
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 0 {
		t.Fatalf("%+v %v", outs, err)
	}
	if out := e.run(context.Background(), "late"); out.Status != StatusDone || out.Note != "already finished" {
		t.Fatalf("%+v", out)
	}
	if e.srv.Count() != 30 {
		t.Fatalf("outbox %d", e.srv.Count())
	}
}

func TestManifestThatNeverComesFailsTheJob(t *testing.T) {
	clock := newSharedClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	e := newEnv(t, func(o *Options) { o.Now, o.ManifestWait = clock.Now, 10*time.Minute }, nil)
	e.put("uploads/never.csv", []byte(plainCSV(3)))
	if out := e.run(context.Background(), "never"); out.Status != StatusWaitingManifest {
		t.Fatalf("%+v", out)
	}
	clock.Set(clock.Now().Add(11 * time.Minute))
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusFailed {
		t.Fatalf("%+v %v", outs, err)
	}
	if s := e.summary("never"); s.Error == nil || s.Error.Reason != ReasonManifestMissing || e.srv.Count() != 0 {
		t.Fatalf("%+v", s)
	}
}

// With defaults that make a valid manifest (TARGET_PATH among them), a
// bare CSV sends at once.
func TestBareCSVSendsWhenDefaultsSuffice(t *testing.T) {
	clock := newSharedClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	e := newEnv(t, func(o *Options) {
		o.Now = clock.Now
		o.Defaults.TemplateID, o.Defaults.TemplateText = tplBare, templates[tplBare].Text
		o.Defaults.TargetPath = "pages/index/index"
	}, func(o *smsapi.Options) { o.Now = clock.Now })
	e.put("uploads/bare.csv", []byte(plainCSV(5)))
	if out := e.run(context.Background(), "bare"); out.Status != StatusDone {
		t.Fatalf("%+v %+v", out, e.summary("bare"))
	}
	checkAllSentOnce(t, e, "bare", 5)
}
