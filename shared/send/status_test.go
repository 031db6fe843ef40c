package send

import (
	"context"
	"strings"
	"testing"
)

func TestStatusMachine(t *testing.T) {
	all := []Status{"", StatusScheduled, StatusWaitingManifest, StatusRunning, StatusPaused, StatusDeferred,
		StatusStopped, StatusSuperseded, StatusDone, StatusFailed}
	// allowed lists every legal move; everything else must be refused.
	allowed := map[Status]string{
		"":                    "scheduled waiting_manifest running stopped failed",
		StatusScheduled:       "waiting_manifest running stopped superseded failed",
		StatusWaitingManifest: "scheduled running stopped superseded failed",
		StatusRunning:         "running paused deferred stopped superseded done failed",
		StatusPaused:          "running stopped superseded failed",
		StatusDeferred:        "running stopped superseded failed",
		StatusStopped:         "running superseded failed",
		StatusSuperseded:      "",
		StatusDone:            "",
		StatusFailed:          "",
	}
	for _, from := range all {
		ok := strings.Fields(allowed[from])
		for _, to := range all {
			want := false
			for _, s := range ok {
				want = want || Status(s) == to
			}
			if got := from.CanMove(to); got != want {
				t.Errorf("%q → %q: CanMove %v, want %v", from, to, got, want)
			}
			st := &State{Status: from}
			err := st.moveTo(to)
			if (err == nil) != want || (err != nil && st.Status != from) {
				t.Errorf("%q → %q: moveTo err %v, status now %q", from, to, err, st.Status)
			}
		}
		final := from == StatusDone || from == StatusFailed || from == StatusSuperseded
		if from.Final() != final || from.Resumable() == (final || from == "") {
			t.Errorf("%q: Final %v Resumable %v", from, from.Final(), from.Resumable())
		}
	}
}

func TestTimerHooksSeeUnfinishedJobs(t *testing.T) {
	var got []JobInfo
	calls := 0
	e := newEnv(t, func(o *Options) {
		o.OnTimer = []TimerHook{func(_ context.Context, s *Service, jobs []JobInfo) error {
			calls++
			got = jobs
			return nil
		}}
	}, nil)
	if _, err := e.svc.Handle(context.Background(), []byte(`{"Type":"Timer","TriggerName":"resume","Time":"2026-03-02T10:00:00Z"}`)); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || len(got) != 0 {
		t.Fatalf("calls %d jobs %+v", calls, got)
	}
}
