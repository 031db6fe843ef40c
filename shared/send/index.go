package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// jobsPrefix holds one small object per unfinished job, so the timer finds
// resumable jobs with one listing instead of scanning the store.
const jobsPrefix = reportsPrefix + ".jobs/"

type indexEntry struct {
	Upload      Upload    `json:"upload"`
	JobID       string    `json:"job_id"`
	Status      Status    `json:"status"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
}

func indexKey(jobID string) string { return jobsPrefix + jobID + ".json" }

func (s *Service) putIndex(ctx context.Context, st *State) error {
	b, _ := json.Marshal(indexEntry{Upload: st.Upload, JobID: st.JobID, Status: st.Status, NextAttempt: st.NextAttempt})
	if err := s.o.Bucket.WriteAll(ctx, indexKey(st.JobID), b, blob.WriterOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("write job index: %w", err)
	}
	return nil
}

func (s *Service) dropIndex(ctx context.Context, jobID string) error {
	if err := s.o.Bucket.Delete(ctx, indexKey(jobID)); err != nil {
		return fmt.Errorf("delete job index: %w", err)
	}
	return nil
}

// ResumeDue runs every paused, deferred or abandoned job that is due, one
// after the other, while the invocation has time left.
func (s *Service) ResumeDue(ctx context.Context) ([]Outcome, error) {
	entries, err := s.listIndex(ctx)
	if err != nil {
		return nil, err
	}
	now := s.o.Now()
	var outs []Outcome
	var errs []error
	for _, e := range entries {
		if !e.NextAttempt.IsZero() && now.Before(e.NextAttempt) {
			continue
		}
		if s.tooLate(ctx) {
			s.log.Info("send-sms: no time left for more jobs this run", "left", len(entries)-len(outs))
			break
		}
		out, err := s.Run(ctx, e.Upload)
		outs = append(outs, out)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Upload.Key, err))
		}
	}
	return outs, errors.Join(errs...)
}

// listIndex reads every entry of the job index.
func (s *Service) listIndex(ctx context.Context) ([]indexEntry, error) {
	var entries []indexEntry
	for a, err := range s.o.Bucket.List(ctx, jobsPrefix) {
		if err != nil {
			return nil, fmt.Errorf("list jobs: %w", err)
		}
		if !strings.HasSuffix(a.Key, ".json") {
			continue
		}
		b, err := s.o.Bucket.ReadAll(ctx, a.Key)
		if errors.Is(err, blob.ErrNotFound) {
			continue // finished meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", a.Key, err)
		}
		var e indexEntry
		if err := json.Unmarshal(b, &e); err != nil {
			s.log.Error("send-sms: unreadable job index entry", "key", a.Key, "err", err)
			continue
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// tooLate reports whether ctx's deadline is within the safety margin.
func (s *Service) tooLate(ctx context.Context) bool {
	d, ok := ctx.Deadline()
	return ok && time.Until(d) < s.o.SafetyMargin
}
