package send

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// A changed upload of the same name while the first sends: the first stops
// at its next batch, each keeps its own report, and no number gets two
// messages.
func TestChangedUploadSupersedesTheRunningJob(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.QPS, o.Workers, o.ControlEvery = 300, 4, 50*time.Millisecond
	}, func(o *smsapi.Options) { o.Faults.Latency = 5 * time.Millisecond })
	const n1, n2 = 600, 800
	e.put("uploads/camp.csv", []byte(plainCSV(n1)))
	e.putManifest("camp", noticeManifest)
	var wg sync.WaitGroup
	var first Outcome
	wg.Go(func() { first = e.run(context.Background(), "camp") })
	time.Sleep(400 * time.Millisecond)
	e.put("uploads/camp.csv", []byte(plainCSV(n2))) // the same people and more
	second := e.run(context.Background(), "camp")
	wg.Wait()
	if first.Status != StatusSuperseded || second.Status != StatusDone || first.JobID == second.JobID {
		t.Fatalf("first %+v, second %+v", first, second)
	}
	for i := 1; i <= n2; i++ {
		if c := e.countOutbox()[e164(i)]; c != 1 {
			t.Fatalf("%s got %d messages", e164(i), c)
		}
	}
	// reports/camp/ shows the second job; the first keeps its own report.
	l, err := ReadLatest(context.Background(), e.bucket, "camp")
	if err != nil || l.JobID != second.JobID || l.State != StatusDone {
		t.Fatalf("latest %+v %v", l, err)
	}
	rows := e.results("camp")
	already := 0
	for _, r := range rows {
		if r.State == StateNotSent && r.Reason == ReasonAlreadySent {
			already++
		} else if r.State != StateSent {
			t.Fatalf("row %+v", r)
		}
	}
	old, err := e.bucket.ReadAll(context.Background(), JobReportPrefix(Upload{Key: "uploads/camp.csv"}, first.JobID)+"result.csv")
	if err != nil {
		t.Fatal(err)
	}
	var oldRows []Result
	if err := ReadResults(bytes.NewReader(old), func(r Result) error { oldRows = append(oldRows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != n2 || already == 0 || already != len(oldRows) || len(oldRows) >= n1 {
		t.Fatalf("%d rows, %d already sent; the superseded job reported %d", len(rows), already, len(oldRows))
	}
}

// The same CSV with a changed manifest is a new job: a campaign that
// failed on a wrong template goes out once the manifest is fixed.
func TestSameCSVWithAFixedManifestIsANewJob(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("uploads/fix.csv", []byte(plainCSV(20)))
	bad := map[string]any{"template_id": "9999"}
	for k, v := range noticeManifest {
		bad[k] = v
	}
	e.putManifest("fix", bad)
	if out := e.run(context.Background(), "fix"); out.Status != StatusFailed || e.srv.Count() != 0 {
		t.Fatalf("%+v, outbox %d", out, e.srv.Count())
	}
	e.putManifest("fix", noticeManifest)
	if out := e.run(context.Background(), "fix"); out.Status != StatusDone {
		t.Fatalf("%+v", out)
	}
	checkAllSentOnce(t, e, "fix", 20)
}

// A parked job (deferred here) is retired by the new upload at once.
func TestChangedUploadRetiresAParkedJob(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	clock := newSharedClock(time.Date(2026, 3, 2, 23, 0, 0, 0, cst))
	e := newEnv(t, func(o *Options) { o.Now = clock.Now }, func(o *smsapi.Options) { o.Now = clock.Now })
	e.put("uploads/night.csv", []byte(plainCSV(10)))
	e.putManifest("night", marketingManifest)
	first := e.run(context.Background(), "night")
	if first.Status != StatusDeferred {
		t.Fatalf("%+v", first)
	}
	clock.Set(time.Date(2026, 3, 3, 9, 0, 0, 0, cst))
	e.put("uploads/night.csv", []byte(plainCSV(12)))
	if out := e.run(context.Background(), "night"); out.Status != StatusDone {
		t.Fatalf("%+v", out)
	}
	st, err := loadState(context.Background(), e.st, first.JobID)
	if err != nil || st.Status != StatusSuperseded {
		t.Fatalf("first job %+v %v", st, err)
	}
	if outs, err := e.svc.ResumeDue(context.Background()); err != nil || len(outs) != 0 {
		t.Fatalf("the timer still sees %+v %v", outs, err)
	}
	checkAllSentOnce(t, e, "night", 12)
}
