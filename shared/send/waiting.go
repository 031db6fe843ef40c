package send

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
)

// Upload tools often put x.csv before x.json. A CSV whose manifest is
// required (the SMS_* defaults and TARGET_PATH alone do not make a valid
// one) but absent does not start: it waits, state waiting_manifest, and the
// send-sms timer looks again every tick. When x.json appears the job of
// (x.csv, x.json) takes over; after Options.ManifestWait the waiting job
// fails with a reason that says what to upload.

// ReasonManifestMissing: the CSV's manifest never came.
const ReasonManifestMissing = "manifest_missing"

// manifestRequired reports whether an upload without a manifest cannot run
// on the defaults alone.
func (s *Service) manifestRequired(u Upload) bool {
	d := s.o.Defaults
	d.CampaignID = campaign.CampaignIDFromName(u.Name())
	return campaign.DefaultManifest(d).Validate() != nil
}

// awaitManifest handles a job made without a manifest that needs one.
func (r *run) awaitManifest(ctx context.Context, now time.Time) (Status, error) {
	a, err := r.s.o.Bucket.Stat(ctx, r.u.ManifestKey())
	switch {
	case err == nil:
		// It came: the job of the CSV with this manifest takes over.
		if r.st.Status != "" {
			if err := r.s.retire(ctx, r.st); err != nil {
				return StatusRunning, err
			}
		}
		next := r.u
		next.Manifest = normalizeETag(a.ETag)
		r.log.Info("send-sms: the manifest arrived; its job starts", "manifest", r.u.ManifestKey())
		out, err := r.s.Run(ctx, next)
		return out.Status, err
	case !errors.Is(err, blob.ErrNotFound):
		return StatusRunning, fmt.Errorf("stat manifest: %w", err)
	}
	if r.st.Status == StatusWaitingManifest {
		if now.Sub(r.st.Started) < r.s.o.ManifestWait {
			return StatusWaitingManifest, nil
		}
		return r.fail(ctx, &Fatal{Reason: ReasonManifestMissing, Detail: fmt.Sprintf(
			"%s 上传后 %s 内没有等到 %s，任务未发送任何短信。请上传 manifest 后重新上传 CSV（或设置 TARGET_PATH 等默认值，让没有 manifest 的 CSV 也能发送）",
			r.u.Key, r.s.o.ManifestWait, r.u.ManifestKey())})
	}
	r.log.Info("send-sms: waiting for the manifest", "manifest", r.u.ManifestKey(), "for", r.s.o.ManifestWait)
	return r.suspend(ctx, StatusWaitingManifest, now)
}
