// Package jobview turns what a send-sms job leaves behind (its report files
// and its log lines) into what an operator reads: states, counts, failures
// and their fixes in Chinese. It is the one place that knows the report
// layout and the log messages of package send, so that a change there is
// mended here and nowhere else in the emulator.
package jobview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/send"
)

// Report is a job's latest summary and progress.
type Report struct {
	Name string
	// Prefix is the folder the files were found in: reports/<name>/, or a
	// job folder under it.
	Prefix   string
	Summary  *send.Summary  // nil before the job first stops or ends
	Progress *send.Progress // nil before the first progress write
	// Raw holds the files as written, for --json.
	RawSummary, RawProgress json.RawMessage
	resultKey               string
}

// Read finds the latest report of uploads/<name>.csv: through the
// reports/<name>/latest.json pointer, else in reports/<name>/ itself.
func Read(ctx context.Context, b *blob.Bucket, name string) (Report, error) {
	r := Report{Name: name}
	l, err := send.ReadLatest(ctx, b, name)
	switch {
	case err == nil:
		r.Prefix, r.resultKey = l.Report, l.Result
		if err := r.read(ctx, b, l.Summary, l.Progress); err != nil {
			return r, err
		}
		return r, nil
	case !errors.Is(err, blob.ErrNotFound):
		return r, err
	}
	r.Prefix = "reports/" + name + "/"
	if err := r.read(ctx, b, r.Prefix+"summary.json", r.Prefix+"progress.json"); err != nil {
		return r, err
	}
	if r.RawSummary == nil && r.RawProgress == nil {
		return r, fmt.Errorf("没有找到任务 %q 的报告（reports/%s/latest.json）：uploads/%s.csv 上传了吗？send-sms 处理后才会有报告", name, name, name)
	}
	return r, nil
}

func (r *Report) read(ctx context.Context, b *blob.Bucket, summaryKey, progressKey string) error {
	var err error
	if summaryKey != "" {
		if r.RawSummary, err = readOptional(ctx, b, summaryKey); err != nil {
			return err
		}
	}
	if progressKey != "" {
		if r.RawProgress, err = readOptional(ctx, b, progressKey); err != nil {
			return err
		}
	}
	if r.RawSummary != nil {
		r.Summary = new(send.Summary)
		if err := json.Unmarshal(r.RawSummary, r.Summary); err != nil {
			return fmt.Errorf("%s 无法解析: %w", summaryKey, err)
		}
	}
	if r.RawProgress != nil {
		r.Progress = new(send.Progress)
		if err := json.Unmarshal(r.RawProgress, r.Progress); err != nil {
			return fmt.Errorf("%s 无法解析: %w", progressKey, err)
		}
	}
	return nil
}

func readOptional(ctx context.Context, b *blob.Bucket, key string) (json.RawMessage, error) {
	data, err := b.ReadAll(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return nil, nil
	}
	return data, err
}

// ResultKey is the object holding the job's result.csv.
func (r Report) ResultKey() string {
	if r.resultKey != "" {
		return r.resultKey
	}
	return r.Prefix + "result.csv"
}

// Running reports whether the progress is newer than the summary: the job
// runs (or ran) after its last stop.
func (r Report) Running() bool {
	if r.Progress == nil || r.Progress.State != send.StatusRunning {
		return false
	}
	return r.Summary == nil || !strings.EqualFold(string(r.Summary.State), string(send.StatusDone))
}
