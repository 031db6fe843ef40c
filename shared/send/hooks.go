package send

import (
	"context"
	"errors"
	"fmt"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/store"
)

// TimerHook is work the send-sms timer does besides resuming jobs (pulling
// receipts, refreshing funnels). jobs are the unfinished jobs of the index
// at the time of the tick; the hook lists finished ones itself from
// reports/<name>/latest.json (ReadLatest) if it needs them.
type TimerHook func(ctx context.Context, s *Service, jobs []JobInfo) error

// runTimerHooks runs every hook; one failing does not keep the others from
// running.
func (s *Service) runTimerHooks(ctx context.Context) error {
	if len(s.o.OnTimer) == 0 {
		return nil
	}
	entries, err := s.listIndex(ctx)
	if err != nil {
		return err
	}
	jobs := make([]JobInfo, 0, len(entries))
	for _, e := range entries {
		jobs = append(jobs, JobInfo{JobID: e.JobID, Upload: e.Upload, ReportPrefix: JobReportPrefix(e.Upload, e.JobID), Status: e.Status})
	}
	var errs []error
	for i, h := range s.o.OnTimer {
		if err := h(ctx, s, jobs); err != nil {
			s.log.Error("send-sms: timer hook failed", "hook", i, "err", err)
			errs = append(errs, fmt.Errorf("timer hook %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// Bucket is the campaign bucket, for hooks that read or write reports.
func (s *Service) Bucket() *blob.Bucket { return s.o.Bucket }

// Store is the shared store, for hooks.
func (s *Service) Store() store.Store { return s.o.Store }
