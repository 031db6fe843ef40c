package send

import (
	"context"
	"errors"
	"fmt"

	"github.com/smsjump/smsjump/shared/blob"
)

// Run does one invocation's share of the job of upload u: it starts, resumes
// or skips it. It returns nil whenever a retry of the invocation cannot help
// (job done, running elsewhere, paused, deferred, failed for good); an error
// means a retry should resume it (a store or bucket failure, a lost lease).
func (s *Service) Run(ctx context.Context, u Upload) (Outcome, error) {
	out := Outcome{Key: u.Key}
	attrs, err := s.o.Bucket.Stat(ctx, u.Key)
	if errors.Is(err, blob.ErrNotFound) {
		out.Note = "upload no longer exists"
		s.log.Warn("send-sms: upload gone", "key", u.Key)
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("stat upload: %w", err)
	}
	etag := normalizeETag(attrs.ETag)
	if u.ETag == "" {
		u.ETag = etag
	} else if u.ETag != etag {
		out.Note = ErrUploadChanged.Error()
		s.log.Warn("send-sms: upload replaced since the event; the new version has its own event", "key", u.Key)
		return out, nil
	}
	if u.Manifest == "" {
		m, err := s.o.Bucket.Stat(ctx, u.ManifestKey())
		switch {
		case err == nil:
			u.Manifest = normalizeETag(m.ETag)
		case errors.Is(err, blob.ErrNotFound):
			u.Manifest = ManifestNone
		default:
			return out, fmt.Errorf("stat manifest: %w", err)
		}
	}
	jobID := u.JobID()
	out.JobID = jobID
	log := s.log.With("job", jobID, "key", u.Key)

	st, err := loadState(ctx, s.o.Store, jobID)
	if err != nil {
		return out, err
	}
	if st != nil && !st.Status.Resumable() {
		out.Status, out.Note = st.Status, "already finished"
		log.Info("send-sms: job already finished", "status", st.Status)
		// A crash between the end of the job and the index delete leaves
		// the entry behind; drop it so the timer stops looking.
		_ = s.dropIndex(ctx, jobID)
		return out, nil
	}
	l, err := acquireLease(ctx, s.o.Store, jobID, s.o.LeaseTTL)
	if err != nil {
		return out, err
	}
	if l == nil {
		out.Note = "running in another invocation"
		log.Info("send-sms: job is running in another invocation; this one leaves it alone")
		return out, nil
	}
	keeper := keepLease(ctx, l, log)
	defer func() {
		// Released with a fresh context: the invocation's may be ending.
		if err := keeper.release(context.WithoutCancel(ctx)); err != nil {
			log.Warn("send-sms: release lease", "err", err)
		}
	}()
	// Read again under the lease: another invocation may have finished it
	// between our read and the acquisition.
	if st, err = loadState(ctx, s.o.Store, jobID); err != nil {
		return out, err
	}
	if st != nil && !st.Status.Resumable() {
		out.Status, out.Note = st.Status, "already finished"
		return out, nil
	}
	prev := ""
	if st == nil {
		// A new upload of the name: it supersedes the name's previous job,
		// and its report becomes the one under reports/<name>/.
		if prev, err = s.currentJob(ctx, u); err != nil {
			return out, err
		}
		if prev == jobID {
			prev = ""
		}
		if err := s.setCurrent(ctx, u, jobID); err != nil {
			return out, err
		}
	}
	r := &run{s: s, u: u, jobID: jobID, prefix: JobReportPrefix(u, jobID), size: attrs.Size, st: st, lease: keeper, log: log, prev: prev}
	status, err := r.execute(ctx)
	out.Status = status
	return out, err
}
