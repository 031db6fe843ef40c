package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/store"
)

// Each job keeps its report under reports/<name>/<job>/, so two versions of
// one upload name never share (or delete) each other's files. What an
// operator opens is reports/<name>/: latest.json names the current job and
// where its report is, and summary.json and progress.json there are copies
// of the current job's.

// Latest is reports/<name>/latest.json.
type Latest struct {
	JobID    string `json:"job_id"`
	Upload   string `json:"upload"`
	State    Status `json:"state"`
	Report   string `json:"report"`   // reports/<name>/<job>/
	Result   string `json:"result"`   // …/result.csv, complete once the job is over
	Summary  string `json:"summary"`  // …/summary.json
	Progress string `json:"progress"` // …/progress.json
	Updated  string `json:"updated"`
}

// JobReportPrefix is reports/<name>/<job>/.
func JobReportPrefix(u Upload, jobID string) string { return u.ReportPrefix() + jobID + "/" }

// currentKey names the store entry holding the job id of the newest upload
// of a name: only that job writes the stable pointer.
func currentKey(u Upload) string { return "send/current/" + u.Bucket + "/" + u.Name() }

func (s *Service) setCurrent(ctx context.Context, u Upload, jobID string) error {
	if err := s.o.Store.Set(ctx, currentKey(u), []byte(jobID), 0); err != nil {
		return fmt.Errorf("record current job: %w", err)
	}
	return nil
}

// currentJob returns the job id of the newest upload of u's name, "" if none.
func (s *Service) currentJob(ctx context.Context, u Upload) (string, error) {
	b, err := s.o.Store.Get(ctx, currentKey(u))
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read current job: %w", err)
	}
	return string(b), nil
}

// writeReportFile writes file (summary.json, progress.json) of the job, and
// its copy under reports/<name>/ with latest.json if the job is current.
func (s *Service) writeReportFile(ctx context.Context, st *State, file string, data []byte, now time.Time) error {
	pfx := JobReportPrefix(st.Upload, st.JobID)
	opts := blob.WriterOptions{ContentType: "application/json"}
	if err := s.o.Bucket.WriteAll(ctx, pfx+file, data, opts); err != nil {
		return fmt.Errorf("write %s: %w", pfx+file, err)
	}
	cur, err := s.currentJob(ctx, st.Upload)
	if err != nil {
		return err
	}
	if cur != st.JobID {
		return nil
	}
	top := st.Upload.ReportPrefix()
	if err := s.o.Bucket.WriteAll(ctx, top+file, data, opts); err != nil {
		return fmt.Errorf("write %s: %w", top+file, err)
	}
	l := Latest{JobID: st.JobID, Upload: st.Upload.Key, State: st.Status, Report: pfx, Result: pfx + "result.csv",
		Summary: pfx + "summary.json", Progress: pfx + "progress.json", Updated: now.Format(time.RFC3339)}
	b, _ := json.MarshalIndent(l, "", "  ")
	if err := s.o.Bucket.WriteAll(ctx, top+"latest.json", b, opts); err != nil {
		return fmt.Errorf("write %slatest.json: %w", top, err)
	}
	return nil
}

// ReadLatest reads reports/<name>/latest.json.
func ReadLatest(ctx context.Context, b *blob.Bucket, name string) (Latest, error) {
	var l Latest
	data, err := b.ReadAll(ctx, reportsPrefix+name+"/latest.json")
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(data, &l); err != nil {
		return l, fmt.Errorf("reports/%s/latest.json: %w", name, err)
	}
	return l, nil
}
