package send

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// An operator stops a campaign without console access to SCF by uploading
// control/<name>.stop (any content) to the bucket: a running job stops at
// its next batch (checkpointed, report written, state stopped), a paused,
// deferred or new one does not start. Deleting the file lets the send-sms
// timer resume it where it stopped.

const controlPrefix = "control/"

// stopKey is control/<name>.stop.
func stopKey(u Upload) string { return controlPrefix + u.Name() + ".stop" }

// stopRequested reports whether control/<name>.stop exists.
func (s *Service) stopRequested(ctx context.Context, u Upload) (bool, error) {
	_, err := s.o.Bucket.Stat(ctx, stopKey(u))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, blob.ErrNotFound):
		return false, nil
	}
	return false, fmt.Errorf("check %s: %w", stopKey(u), err)
}

// stopped parks a job that an operator stopped before this run began. A
// job already stopped is left as it is (the timer looks at it every tick).
func (r *run) stopped(ctx context.Context, now time.Time) (Status, error) {
	if r.st == nil {
		r.st = &State{Upload: r.u, JobID: r.jobID, Started: now, Size: r.size}
	}
	if r.st.Status == StatusStopped {
		return StatusStopped, nil
	}
	r.log.Info("send-sms: stopped by the operator", "file", stopKey(r.u))
	return r.suspend(ctx, StatusStopped, now)
}
