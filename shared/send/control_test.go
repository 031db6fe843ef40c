package send

import (
	"context"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

func TestStopFileStopsAndRemovingItResumes(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.QPS, o.Workers, o.ControlEvery = 300, 4, 50*time.Millisecond
	}, func(o *smsapi.Options) { o.Faults.Latency = 5 * time.Millisecond })
	const n = 600
	e.put("uploads/stopme.csv", []byte(plainCSV(n)))
	e.putManifest("stopme", noticeManifest)
	time.AfterFunc(400*time.Millisecond, func() { e.put("control/stopme.stop", nil) })
	if out := e.run(context.Background(), "stopme"); out.Status != StatusStopped {
		t.Fatalf("%+v", out)
	}
	s := e.summary("stopme")
	sent := e.srv.Count()
	if s.State != StatusStopped || s.Sent == 0 || s.Sent >= n || s.Sent != sent || s.Rows != s.Sent {
		t.Fatalf("stopped summary %+v, outbox %d", s, sent)
	}
	// While the file is there, the timer leaves the job stopped.
	time.Sleep(100 * time.Millisecond)
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusStopped || e.srv.Count() != sent {
		t.Fatalf("timer with the stop file: %+v %v, outbox %d", outs, err, e.srv.Count())
	}
	if err := e.bucket.Delete(context.Background(), "control/stopme.stop"); err != nil {
		t.Fatal(err)
	}
	outs, err = e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("timer after removing the file: %+v %v", outs, err)
	}
	checkAllSentOnce(t, e, "stopme", n)
}

func TestStopFileKeepsANewUploadFromStarting(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("control/early.stop", []byte("x"))
	e.put("uploads/early.csv", []byte(plainCSV(5)))
	e.putManifest("early", noticeManifest)
	if out := e.run(context.Background(), "early"); out.Status != StatusStopped || e.srv.Count() != 0 {
		t.Fatalf("%+v, outbox %d", out, e.srv.Count())
	}
	if s := e.summary("early"); s.State != StatusStopped {
		t.Fatalf("%+v", s)
	}
}
