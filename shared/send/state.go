package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/store"
)

// Counters add up: Rows = Sent + Rejected + Failed + Unknown + NotSent.
type Counters struct {
	Rows     int `json:"rows"`
	Sent     int `json:"sent"`
	Rejected int `json:"rejected"`
	Failed   int `json:"failed"`
	Unknown  int `json:"unknown"`
	NotSent  int `json:"not_sent"`
	Segments int `json:"segments"` // billed (Fee of sent numbers), or would-be in a dry run
	Calls    int `json:"calls"`    // SendSms requests made
	// InFlight counts rows sent again after a crash (flagged in result.csv).
	InFlight int            `json:"in_flight_at_crash"`
	ByReason map[string]int `json:"by_reason,omitempty"`
}

func (c *Counters) add(r *Result) {
	c.Rows++
	if r.InFlightAtCrash {
		c.InFlight++
	}
	switch r.State {
	case StateSent:
		c.Sent++
		c.Segments += r.Fee
	case StateRejected:
		c.Rejected++
	case StateFailed:
		c.Failed++
	case StateUnknown:
		c.Unknown++
	case StateNotSent:
		c.NotSent++
		if r.Reason == ReasonDryRun {
			c.Segments += r.Segments
		}
	}
	if r.State != StateSent {
		if c.ByReason == nil {
			c.ByReason = make(map[string]int)
		}
		c.ByReason[r.Reason]++
	}
}

// Fatal records why sending stopped for the whole job.
type Fatal struct {
	Reason string `json:"reason"` // report reason of the remaining rows
	Code   string `json:"code,omitempty"`
	Detail string `json:"detail"`
	// Fix says, in Chinese, what to do and where in the console.
	Fix string `json:"fix,omitempty"`
}

// State is a job's checkpoint, stored under send/job/<id>.
type State struct {
	Upload   Upload `json:"upload"`
	JobID    string `json:"job_id"`
	Campaign string `json:"campaign,omitempty"`
	Status   Status `json:"status"`
	Runs     int    `json:"runs"`
	// Watermark: rows 1..Watermark are final and in parts 0..Parts-1.
	Watermark int `json:"watermark"`
	// Reader resumes the CSV just after the watermark row; nil before any row.
	Reader *campaign.Checkpoint `json:"reader,omitempty"`
	// Reserved: rows up to here may have been handed to SendSms.
	Reserved int `json:"reserved"`
	// Parts is the number of committed report parts.
	Parts int `json:"parts"`
	// InFlightAtCrash are rows that may have been sent by a run that crashed.
	InFlightAtCrash Ranges   `json:"in_flight_at_crash,omitempty"`
	Counters        Counters `json:"counters"`
	Fatal           *Fatal   `json:"fatal,omitempty"`
	DryRun          bool     `json:"dry_run"`
	// Encoding of the CSV, for the summary.
	Encoding string `json:"encoding,omitempty"`
	// Size of the CSV in bytes, for the ETA.
	Size int64 `json:"size"`

	Started     time.Time `json:"started"`
	Updated     time.Time `json:"updated"`
	Finished    time.Time `json:"finished,omitzero"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// Previous is the job of the name's previous upload, superseded by this
	// one: numbers it sent are left out here.
	Previous string `json:"previous,omitempty"`
	// RunStart is the watermark when the last run started; Stalls counts
	// consecutive crashed runs that did not move it.
	RunStart int `json:"run_start"`
	Stalls   int `json:"stalls,omitempty"`
	// Deferral is the API code that deferred the job last, if any.
	Deferral string `json:"deferral,omitempty"`
	// Carry is the object holding rows a deferred run finished past its
	// watermark (see deferLimit).
	Carry string `json:"carry,omitempty"`
	// Active is the time spent running, summed over runs (for the rate).
	Active time.Duration `json:"active_ns"`
}

func stateKey(jobID string) string { return "send/job/" + jobID }

// loadState returns the job's state, or nil if it has none yet.
func loadState(ctx context.Context, st store.Store, jobID string) (*State, error) {
	b, err := st.Get(ctx, stateKey(jobID))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load job state: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrBadState, jobID, err)
	}
	return &s, nil
}

// saveState writes s. Job states never expire: a redelivered event months
// later must still find the job done.
func saveState(ctx context.Context, st store.Store, s *State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode job state: %w", err)
	}
	if err := st.Set(ctx, stateKey(s.JobID), b, 0); err != nil {
		return fmt.Errorf("save job state: %w", err)
	}
	return nil
}
