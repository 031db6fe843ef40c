package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/jobview"
	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/blob"
)

// runStatus is `status NAME [--dir D] [--live] [--json]`: a job's state,
// counts and progress from the local bucket or from COS, as a table (or the
// report files as written with --json).
func runStatus(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	dir := fs.String("dir", ".smsjump", "the emulator's work directory")
	open := fs.Bool("open", false, "open the campaign report (report.html) in the browser")
	live := fs.Bool("live", false, "read the campaign bucket on COS (BUCKET, COS_REGION, optional COS_ENDPOINT; credentials TENCENTCLOUD_SECRETID/SECRETKEY)")
	asJSON := fs.Bool("json", false, "print summary.json and progress.json as written, not the table")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("status needs the job's NAME (uploads/NAME.csv)")
	}
	name := jobName(pos[0])
	var b *blob.Bucket
	where, storeURL := "", ""
	if *live {
		bucket, region := os.Getenv("BUCKET"), os.Getenv("COS_REGION")
		if bucket == "" || region == "" {
			return fmt.Errorf("status --live 需要环境变量 BUCKET（名称-APPID）和 COS_REGION")
		}
		u := "cos://" + bucket + "/?region=" + url.QueryEscape(region)
		b, err = blob.Open(ctx, u, blob.WithCOSEndpoint(os.Getenv("COS_ENDPOINT"), os.Getenv("COS_PATH_STYLE") == "true"))
		where = "cos://" + bucket + "/"
	} else {
		abs, aerr := filepath.Abs(*dir)
		if aerr != nil {
			return aerr
		}
		lay := layout{root: abs}
		if _, serr := os.Stat(lay.bucket()); serr != nil {
			return fmt.Errorf("%s 下没有本地存储桶：先运行模拟器（go run ./scripts/dev），或用 --dir 指定目录、--live 读 COS", lay.bucket())
		}
		b, err = blob.Open(ctx, lay.bucketURL())
		where = lay.bucket() + string(filepath.Separator)
		storeURL = lay.storeURL()
	}
	if err != nil {
		return err
	}
	defer b.Close()
	rep, err := jobview.Read(ctx, b, name)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if *asJSON {
		return printStatusJSON(os.Stdout, rep)
	}
	if err := printStatus(os.Stdout, rep, where, time.Now()); err != nil {
		return err
	}
	return statusFunnel(ctx, os.Stdout, b, name, where, storeURL, *open)
}

// printStatus is the table an operator reads.
func printStatus(w io.Writer, rep jobview.Report, where string, now time.Time) error {
	fmt.Fprintf(w, "任务 %s\n", rep.Name)
	lines := jobview.Lines(rep, now)
	lines = append(lines, zh.Line{Label: "报告", Value: where + filepath.FromSlash(rep.ResultKey())})
	return zh.WriteLines(w, "  ", lines)
}

// printStatusJSON prints the report files as written, in one JSON object.
func printStatusJSON(w io.Writer, rep jobview.Report) error {
	return json.NewEncoder(w).Encode(struct {
		Name     string          `json:"name"`
		Prefix   string          `json:"prefix"`
		Summary  json.RawMessage `json:"summary"`
		Progress json.RawMessage `json:"progress"`
	}{rep.Name, rep.Prefix, rep.RawSummary, rep.RawProgress})
}

// jobName accepts NAME, NAME.csv or uploads/NAME.csv.
func jobName(s string) string {
	s = strings.TrimPrefix(filepath.ToSlash(s), "uploads/")
	return strings.TrimSuffix(s, ".csv")
}
