package send

import (
	"context"
	"encoding/json"
	"time"
)

// Summary is reports/<name>/<job>/summary.json (copied to reports/<name>/).
type Summary struct {
	JobID    string `json:"job_id"`
	Upload   string `json:"upload"`
	Campaign string `json:"campaign,omitempty"`
	State    Status `json:"state"`
	DryRun   bool   `json:"dry_run"`
	// Rows = Sent + Rejected + Failed + Unknown + NotSent.
	Rows     int            `json:"rows"`
	Sent     int            `json:"sent"`
	Rejected int            `json:"rejected"`
	Failed   int            `json:"failed"`
	Unknown  int            `json:"unknown"`
	NotSent  int            `json:"not_sent"`
	ByReason map[string]int `json:"by_reason"`
	// SegmentsBilled is the Fee of every sent number (would-be segments in a dry run).
	SegmentsBilled  int     `json:"segments_billed"`
	Calls           int     `json:"calls"`
	InFlightAtCrash int     `json:"in_flight_at_crash_rows"`
	Started         string  `json:"started"`
	Finished        string  `json:"finished,omitempty"`
	DurationSeconds float64 `json:"duration_seconds"`
	ActiveSeconds   float64 `json:"active_seconds"`
	RatePerSecond   float64 `json:"rate_per_second"` // numbers sent per active second
	CallsPerSecond  float64 `json:"calls_per_second"`
	Runs            int     `json:"runs"`
	Encoding        string  `json:"encoding,omitempty"`
	NextAttempt     string  `json:"next_attempt,omitempty"`
	// DeferredBy is the API code that deferred the job (a limit that lifts
	// by itself), while it is deferred.
	DeferredBy string `json:"deferred_by,omitempty"`
	Error      *Fatal `json:"error,omitempty"`
}

func summarize(st *State, now time.Time) Summary {
	c := st.Counters
	s := Summary{
		JobID: st.JobID, Upload: st.Upload.Key, Campaign: st.Campaign, State: st.Status, DryRun: st.DryRun,
		Rows: c.Rows, Sent: c.Sent, Rejected: c.Rejected, Failed: c.Failed, Unknown: c.Unknown, NotSent: c.NotSent,
		ByReason: c.ByReason, SegmentsBilled: c.Segments, Calls: c.Calls, InFlightAtCrash: c.InFlight,
		Started: st.Started.Format(time.RFC3339), Runs: st.Runs, Encoding: st.Encoding, Error: st.Fatal,
		ActiveSeconds: st.Active.Seconds(), DeferredBy: st.Deferral,
	}
	if s.ByReason == nil {
		s.ByReason = map[string]int{}
	}
	end := now
	if !st.Finished.IsZero() {
		end = st.Finished
		s.Finished = st.Finished.Format(time.RFC3339)
	}
	s.DurationSeconds = end.Sub(st.Started).Seconds()
	if st.Active > 0 {
		s.RatePerSecond = float64(c.Sent) / st.Active.Seconds()
		s.CallsPerSecond = float64(c.Calls) / st.Active.Seconds()
	}
	if !st.NextAttempt.IsZero() {
		s.NextAttempt = st.NextAttempt.Format(time.RFC3339)
	}
	return s
}

func (s *Service) writeSummary(ctx context.Context, st *State, now time.Time) error {
	b, _ := json.MarshalIndent(summarize(st, now), "", "  ")
	return s.writeReportFile(ctx, st, "summary.json", b, now)
}

// Progress is reports/<name>/<job>/progress.json (copied to reports/<name>/),
// rewritten every few seconds.
type Progress struct {
	JobID      string  `json:"job_id"`
	State      Status  `json:"state"`
	Processed  int     `json:"processed"` // final rows
	Sent       int     `json:"sent"`
	Rejected   int     `json:"rejected"`
	Failed     int     `json:"failed"`
	Unknown    int     `json:"unknown"`
	NotSent    int     `json:"not_sent"`
	Rate       float64 `json:"rate_per_second"` // numbers sent per second in this run
	BytesRead  int64   `json:"bytes_read"`
	BytesTotal int64   `json:"bytes_total"`
	ETASeconds float64 `json:"eta_seconds"` // -1 while unknown
	Updated    string  `json:"updated"`
}

// writeProgress is best effort: a missed progress file only delays what an
// operator sees.
func (r *run) writeProgress(ctx context.Context) {
	snap := r.tr.peek()
	now := r.s.o.Now()
	el := now.Sub(r.started).Seconds()
	status := r.st.Status
	p := Progress{JobID: r.jobID, State: status, Processed: snap.watermark, Sent: snap.cnt.Sent,
		Rejected: snap.cnt.Rejected, Failed: snap.cnt.Failed, Unknown: snap.cnt.Unknown, NotSent: snap.cnt.NotSent,
		BytesRead: r.fd.offset.Load(), BytesTotal: r.size, ETASeconds: -1, Updated: now.Format(time.RFC3339)}
	if el > 0 {
		p.Rate = float64(snap.cnt.Sent-r.startSent) / el
	}
	if done := p.BytesRead - r.startOffset; done > 0 && el > 0 {
		p.ETASeconds = el * float64(r.size-p.BytesRead) / float64(done)
	}
	switch status {
	case StatusDone, StatusFailed:
		p.ETASeconds = 0
	case StatusPaused, StatusDeferred:
		p.ETASeconds = -1
	}
	b, _ := json.MarshalIndent(p, "", "  ")
	if err := r.s.writeReportFile(context.WithoutCancel(ctx), r.st, "progress.json", b, now); err != nil {
		r.log.Warn("send-sms: progress not written", "err", err)
	}
}
