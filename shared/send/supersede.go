package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/phone"
)

// A changed upload of a name (new CSV bytes or a new manifest) is a new
// job, and it supersedes the name's previous job: the previous one stops at
// its next batch (or does not start again), keeps the report of what it
// did under its own folder, and ends superseded. The new job waits for that
// and then leaves out every number the previous job sent or may have sent
// (and those it left out for the same reason), so a campaign re-uploaded
// mid-way never messages anyone twice.

// ReasonAlreadySent: an earlier version of the upload already sent (or may
// have sent) to this number.
const ReasonAlreadySent = "already_sent"

// supersedeWait bounds how long a new job waits for the previous one to
// stop; past it the invocation fails and SCF's retry tries again.
const supersedeWait = 30 * time.Second

// superseded reports whether another job is now the name's current one.
func (r *run) superseded(ctx context.Context) (bool, error) {
	cur, err := r.s.currentJob(ctx, r.u)
	if err != nil {
		return false, err
	}
	return cur != "" && cur != r.jobID, nil
}

// retire ends a job that is not running (paused, deferred, stopped,
// waiting, or crashed) as superseded: its parts become its result.csv.
// The caller holds the job's lease.
func (s *Service) retire(ctx context.Context, st *State) error {
	ctx = context.WithoutCancel(ctx)
	now := s.o.Now()
	pfx := JobReportPrefix(st.Upload, st.JobID)
	if err := mergeParts(ctx, s.o.Bucket, pfx+".parts/", st.Parts, pfx+"result.csv", nil); err != nil {
		return err
	}
	if err := st.moveTo(StatusSuperseded); err != nil {
		return err
	}
	st.Finished, st.Updated = now, now
	if err := s.writeSummary(ctx, st, now); err != nil {
		return err
	}
	if err := saveState(ctx, s.o.Store, st); err != nil {
		return err
	}
	// The parts stay (a carry file may be among them): the next version
	// reads what this job may have sent.
	if err := s.dropIndex(ctx, st.JobID); err != nil {
		s.log.Warn("send-sms: job index entry left behind", "job", st.JobID, "err", err)
	}
	s.log.Info("send-sms: job superseded by a newer upload of the same name", "job", st.JobID, "key", st.Upload.Key)
	return nil
}

// previousSent waits until the previous job of the name is over (retiring
// it if it is parked) and returns the numbers it sent or may have sent.
func (s *Service) previousSent(ctx context.Context, prevID string) (*phone.Set, error) {
	deadline := time.Now().Add(supersedeWait)
	for {
		st, err := loadState(ctx, s.o.Store, prevID)
		if err != nil {
			return nil, err
		}
		if st == nil {
			return nil, nil // never got far enough to send
		}
		if st.Status.Final() {
			return s.sentBy(ctx, st)
		}
		l, err := acquireLease(ctx, s.o.Store, prevID, s.o.LeaseTTL)
		if err != nil {
			return nil, err
		}
		if l != nil {
			st, err = loadState(ctx, s.o.Store, prevID)
			if err == nil && st != nil && !st.Status.Final() {
				err = s.retire(ctx, st)
			}
			if rerr := l.release(context.WithoutCancel(ctx)); rerr != nil {
				s.log.Warn("send-sms: release lease", "job", prevID, "err", rerr)
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		// Running: it sees it is superseded within a second or two.
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("send-sms: the previous version's job %s is still running", prevID)
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// sentBy collects the numbers a finished job sent, may have sent, or left
// out because an earlier version had.
func (s *Service) sentBy(ctx context.Context, st *State) (*phone.Set, error) {
	set := phone.NewSet(st.Counters.Rows)
	add := func(res Result) {
		switch {
		case res.State == StateSent, res.State == StateUnknown, res.InFlightAtCrash,
			res.State == StateNotSent && res.Reason == ReasonAlreadySent:
			set.Add(res.Phone)
		}
	}
	pfx := JobReportPrefix(st.Upload, st.JobID)
	rd, err := s.o.Bucket.NewReader(ctx, pfx+"result.csv")
	if errors.Is(err, blob.ErrNotFound) {
		return set, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the previous version's report: %w", err)
	}
	defer rd.Close()
	if err := ReadResults(rd, func(res Result) error { add(res); return nil }); err != nil {
		return nil, fmt.Errorf("read the previous version's report: %w", err)
	}
	if st.Carry != "" {
		b, err := s.o.Bucket.ReadAll(ctx, st.Carry)
		if err != nil && !errors.Is(err, blob.ErrNotFound) {
			return nil, fmt.Errorf("read the previous version's carried rows: %w", err)
		}
		var rows []Result
		if err == nil && json.Unmarshal(b, &rows) == nil {
			for _, res := range rows {
				add(res)
			}
		}
	}
	return set, nil
}
