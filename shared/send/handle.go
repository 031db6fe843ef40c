package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/smsjump/smsjump/shared/scf"
)

// Reply is what an invocation returns (shown in the SCF invocation log).
type Reply struct {
	Jobs []Outcome `json:"jobs"`
}

// Outcome is what one invocation did with one job.
type Outcome struct {
	JobID  string `json:"job_id,omitempty"`
	Key    string `json:"key"`
	Status Status `json:"status,omitempty"`
	// Note says why nothing happened: already done, running elsewhere…
	Note string `json:"note,omitempty"`
}

// Handle routes a send-sms event: a COS event runs the job of every created
// upload it carries (merged records included); a timer event resumes due
// jobs. An error makes SCF retry the invocation, so it is returned only when
// a retry can help (store or bucket unreachable, a crash-safe job error).
func (s *Service) Handle(ctx context.Context, raw json.RawMessage) (Reply, error) {
	switch scf.Kind(raw) {
	case scf.KindCOS:
		objs, err := scf.ParseCOS(raw, s.log)
		if err != nil {
			// A malformed event will not parse better on a retry.
			s.log.Error("send-sms: unusable COS event", "err", err)
			return Reply{}, nil
		}
		var reply Reply
		var errs []error
		for _, o := range objs {
			if s.o.BucketName != "" && o.Bucket != s.o.BucketName {
				s.log.Warn("send-sms: event for another bucket ignored", "bucket", o.Bucket, "key", o.Key)
				continue
			}
			key, ok := strings.CutPrefix(o.Key, s.o.KeyPrefix)
			if ok && s.o.OnObject != nil {
				if handled, err := s.o.OnObject(ctx, key); handled {
					reply.Jobs = append(reply.Jobs, Outcome{Key: key, Note: "applied"})
					if err != nil {
						errs = append(errs, fmt.Errorf("%s: %w", o.Key, err))
					}
					continue
				}
			}
			if !ok || !IsUploadKey(key) {
				s.log.Info("send-sms: not an upload, ignored", "key", o.Key)
				continue
			}
			out, err := s.Run(ctx, Upload{Bucket: o.Bucket, Key: key, ETag: normalizeETag(o.ETag)})
			reply.Jobs = append(reply.Jobs, out)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", o.Key, err))
			}
		}
		return reply, errors.Join(errs...)
	default:
		// The timer, or a manual test invocation from the console.
		outs, err := s.ResumeDue(ctx)
		return Reply{Jobs: outs}, errors.Join(err, s.runTimerHooks(ctx))
	}
}
