package send

import "fmt"

// Status is where a job stands. The machine:
//
//	(new) ──▶ scheduled ──▶ waiting_manifest ──▶ running   (new) ──▶ stopped
//	running ──▶ paused | deferred | stopped | superseded | done | failed
//	paused | deferred | stopped ──▶ running
//	scheduled | waiting_manifest | paused | deferred | stopped ──▶ superseded | failed
//
// done, failed and superseded are final. running ──▶ running is a resume
// after a crash (the dead run never left running).
type Status string

const (
	StatusScheduled       Status = "scheduled"        // start_at is in the future; the timer starts it
	StatusWaitingManifest Status = "waiting_manifest" // the CSV came first; the timer starts it when <name>.json appears
	StatusRunning         Status = "running"          // an invocation holds the lease (or crashed holding it)
	StatusPaused          Status = "paused"           // stopped before the SCF deadline; the timer resumes it
	StatusDeferred        Status = "deferred"         // outside the send window or a daily limit; the timer resumes it
	StatusStopped         Status = "stopped"          // an operator stopped it (control/<name>.stop); removing the file resumes it
	StatusSuperseded      Status = "superseded"       // a changed upload of the same name replaced it
	StatusDone            Status = "done"             // every row is final and the report is complete
	StatusFailed          Status = "failed"           // stopped for good (invalid manifest or CSV, fatal SMS error)
)

// transitions lists, per status, where a job may go next. The zero Status
// is a job that has no state yet.
var transitions = map[Status][]Status{
	"":                    {StatusScheduled, StatusWaitingManifest, StatusRunning, StatusStopped, StatusFailed},
	StatusScheduled:       {StatusWaitingManifest, StatusRunning, StatusStopped, StatusSuperseded, StatusFailed},
	StatusWaitingManifest: {StatusScheduled, StatusRunning, StatusStopped, StatusSuperseded, StatusFailed},
	StatusRunning:         {StatusRunning, StatusPaused, StatusDeferred, StatusStopped, StatusSuperseded, StatusDone, StatusFailed},
	StatusPaused:          {StatusRunning, StatusStopped, StatusSuperseded, StatusFailed},
	StatusDeferred:        {StatusRunning, StatusStopped, StatusSuperseded, StatusFailed},
	StatusStopped:         {StatusRunning, StatusSuperseded, StatusFailed},
}

// CanMove reports whether a job in s may move to next.
func (s Status) CanMove(next Status) bool {
	for _, t := range transitions[s] {
		if t == next {
			return true
		}
	}
	return false
}

// Final reports whether the job is over for good: a redelivered event or
// the timer leaves it alone.
func (s Status) Final() bool {
	return s == StatusDone || s == StatusFailed || s == StatusSuperseded
}

// Resumable reports whether the timer should pick the job up.
func (s Status) Resumable() bool { return !s.Final() && s != "" }

// moveTo changes st's status along the machine; an illegal move is a bug
// and is refused rather than saved.
func (st *State) moveTo(next Status) error {
	if !st.Status.CanMove(next) {
		return fmt.Errorf("send: job %s cannot go from %q to %q", st.JobID, st.Status, next)
	}
	st.Status = next
	return nil
}
