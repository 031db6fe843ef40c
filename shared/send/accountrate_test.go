package send

import (
	"context"
	"sync"
	"testing"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// Two campaigns at once under one account: together they keep to SMS_QPS
// (the sandbox enforces the account's rate per wall-clock second, as the
// API does), and both progress.
func TestTwoJobsShareTheAccountRate(t *testing.T) {
	const qps, n = 200, 300
	e := newEnv(t, func(o *Options) { o.QPS = qps }, func(o *smsapi.Options) { o.QPS = qps })
	for _, name := range []string{"a", "b"} {
		e.put("uploads/"+name+".csv", []byte(plainCSV(n)))
		e.putManifest(name, noticeManifest)
	}
	var wg sync.WaitGroup
	outs := make([]Outcome, 2)
	for i, name := range []string{"a", "b"} {
		wg.Go(func() { outs[i] = e.run(context.Background(), name) })
	}
	wg.Wait()
	for i, out := range outs {
		if out.Status != StatusDone {
			t.Fatalf("job %d: %+v", i, out)
		}
	}
	st := e.srv.Stats()
	if limited := st.RequestErrors["RequestLimitExceeded"]; limited > 0 {
		t.Errorf("the two jobs together went over the account's rate: %d calls refused", limited)
	}
	for _, name := range []string{"a", "b"} {
		if s := e.summary(name); s.Sent != n {
			t.Errorf("%s: %+v", name, s)
		}
	}
}

// BenchmarkOneJobAtTheAccountRate: how much of SMS_QPS one job reaches
// through the shared bucket (the issue asks for ≥ 92 %).
func BenchmarkOneJobAtTheAccountRate(b *testing.B) {
	const qps, n = 1000, 3000
	for i := 0; i < b.N; i++ {
		e := newEnv(b, func(o *Options) { o.QPS = qps }, func(o *smsapi.Options) { o.QPS = qps })
		e.put("uploads/one.csv", []byte(plainCSV(n)))
		e.putManifest("one", noticeManifest)
		if out := e.run(context.Background(), "one"); out.Status != StatusDone {
			b.Fatalf("%+v", out)
		}
		s := e.summary("one")
		b.ReportMetric(s.CallsPerSecond, "calls/s")
		b.ReportMetric(100*s.CallsPerSecond/qps, "%cap")
	}
}
