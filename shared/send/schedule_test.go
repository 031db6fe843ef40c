package send

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is the job's clock, moved by the test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// TestScheduledCampaignStartsOnTime: a manifest start_at makes the job
// scheduled; the rows that would be rejected are reported at upload; the
// timer leaves it alone before start_at and sends it after.
func TestScheduledCampaignStartsOnTime(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
	e := newEnv(t, func(o *Options) { o.Now = clk.Now }, nil)
	ctx := context.Background()
	m := map[string]any{"start_at": "2026-03-02 10:00"}
	for k, v := range noticeManifest {
		m[k] = v
	}
	e.putManifest("later", m)
	e.put("uploads/later.csv", []byte("phone,name\n"+phoneN(1)+",a\n12345,b\n"+phoneN(2)+",c\n"+phoneN(1)+",dup\n"))
	if out := e.run(ctx, "later"); out.Status != StatusScheduled {
		t.Fatalf("upload: %+v, want scheduled", out)
	}
	if n := e.srv.Count(); n != 0 {
		t.Fatalf("%d messages before start_at", n)
	}
	var pc Precheck
	raw, err := e.bucket.ReadAll(ctx, "reports/later/precheck.json")
	if err != nil || json.Unmarshal(raw, &pc) != nil {
		t.Fatalf("precheck.json: %s %v", raw, err)
	}
	if pc.Rows != 4 || pc.Valid != 2 || pc.Rejected != 2 || pc.ByReason["invalid_phone"] != 1 || pc.ByReason["duplicate"] != 1 ||
		!strings.HasPrefix(pc.StartAt, "2026-03-02T10:00:00+08:00") {
		t.Errorf("precheck %+v", pc)
	}
	rej, _ := e.bucket.ReadAll(ctx, "reports/later/rejects.csv")
	if lines := strings.Count(string(rej), "\r\n"); lines != 3 || !strings.Contains(string(rej), "12345") {
		t.Errorf("rejects.csv %q", rej)
	}
	if s := e.summary("later"); s.State != StatusScheduled {
		t.Errorf("summary state %s", s.State)
	}
	timer := []byte(`{"Type":"Timer","TriggerName":"resume","Time":"2026-03-02T01:30:00Z"}`)
	clk.Set(time.Date(2026, 3, 2, 9, 58, 0, 0, cst))
	if _, err := e.svc.Handle(ctx, timer); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.Count(); n != 0 {
		t.Fatalf("the timer sent %d messages before start_at", n)
	}
	// The same upload event again keeps it scheduled and sends nothing.
	if out := e.run(ctx, "later"); out.Status != StatusScheduled || e.srv.Count() != 0 {
		t.Fatalf("redelivered event: %+v", out)
	}
	clk.Set(time.Date(2026, 3, 2, 10, 0, 30, 0, cst))
	reply, err := e.svc.Handle(ctx, timer)
	if err != nil || len(reply.Jobs) != 1 || reply.Jobs[0].Status != StatusDone {
		t.Fatalf("timer at start_at: %+v %v", reply, err)
	}
	if c := e.countOutbox(); len(c) != 2 || c[e164(1)] != 1 || c[e164(2)] != 1 {
		t.Errorf("outbox %v", c)
	}
	if s := e.summary("later"); s.Sent != 2 || s.Rejected != 2 {
		t.Errorf("summary %+v", s)
	}
}

// TestStartAtForms: Beijing wall-clock forms and RFC 3339; nonsense is a
// manifest error naming start_at.
func TestStartAtForms(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	e := newEnv(t, func(o *Options) { o.Now = clk.Now }, nil)
	m := map[string]any{"start_at": "tomorrow"}
	for k, v := range noticeManifest {
		m[k] = v
	}
	e.putManifest("bad", m)
	e.put("uploads/bad.csv", []byte(plainCSV(1)))
	if out := e.run(context.Background(), "bad"); out.Status != StatusFailed {
		t.Fatalf("%+v", out)
	}
	if s := e.summary("bad"); s.Error == nil || !strings.Contains(s.Error.Detail, "start_at") {
		t.Errorf("error %+v", s.Error)
	}
}

// TestPrecheckMeansRejectsAreThere: precheck.json says the list was
// checked, so it is written after rejects.csv: whoever finds it finds that
// check's rejects, and a failed rejects.csv write leaves no precheck.json
// behind; the retry checks again.
func TestPrecheckMeansRejectsAreThere(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, cst)}
	e := newEnv(t, func(o *Options) { o.Now = clk.Now }, nil)
	ctx := context.Background()
	m := map[string]any{"start_at": "2026-03-02 10:00"}
	for k, v := range noticeManifest {
		m[k] = v
	}
	e.putManifest("later", m)
	e.put("uploads/later.csv", []byte("phone,name\n"+phoneN(1)+",a\n12345,b\n"))
	// A directory where reports/later/rejects.csv goes makes its write fail.
	blocker := filepath.Join(e.dir, "reports", "later", "rejects.csv")
	if err := os.MkdirAll(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Run(ctx, Upload{Key: "uploads/later.csv"}); err == nil {
		t.Fatal("rejects.csv not written, yet the run reported no error")
	}
	for a, err := range e.bucket.List(ctx, "reports/later/") {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(a.Key, "precheck.json") {
			t.Fatalf("%s written although rejects.csv was not", a.Key)
		}
	}
	if err := os.Remove(blocker); err != nil {
		t.Fatal(err)
	}
	if out := e.run(ctx, "later"); out.Status != StatusScheduled {
		t.Fatalf("retry: %+v, want scheduled", out)
	}
	var pc Precheck
	raw, err := e.bucket.ReadAll(ctx, "reports/later/precheck.json")
	if err != nil || json.Unmarshal(raw, &pc) != nil || pc.Rejected != 1 {
		t.Fatalf("precheck.json after the retry: %s %v", raw, err)
	}
	if rej, err := e.bucket.ReadAll(ctx, "reports/later/rejects.csv"); err != nil || !strings.Contains(string(rej), "12345") {
		t.Errorf("rejects.csv after the retry: %q %v", rej, err)
	}
}
