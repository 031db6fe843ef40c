package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/send"
)

// runStatus is `status NAME [--dir D] [--live]`: a job's summary (or, while
// it runs or is paused, its progress) from the local bucket or from COS.
func runStatus(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	dir := fs.String("dir", ".smsjump", "the emulator's work directory")
	live := fs.Bool("live", false, "read the campaign bucket on COS (BUCKET, COS_REGION, optional COS_ENDPOINT; credentials TENCENTCLOUD_SECRETID/SECRETKEY)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("status needs the job's NAME (uploads/NAME.csv)")
	}
	name := jobName(pos[0])
	var b *blob.Bucket
	where := ""
	if *live {
		bucket, region := os.Getenv("BUCKET"), os.Getenv("COS_REGION")
		if bucket == "" || region == "" {
			return fmt.Errorf("status --live needs BUCKET (name-appid) and COS_REGION in the environment")
		}
		u := "cos://" + bucket + "/?region=" + url.QueryEscape(region)
		b, err = blob.Open(ctx, u, blob.WithCOSEndpoint(os.Getenv("COS_ENDPOINT"), os.Getenv("COS_PATH_STYLE") == "true"))
		where = "cos://" + bucket
	} else {
		abs, aerr := filepath.Abs(*dir)
		if aerr != nil {
			return aerr
		}
		lay := layout{root: abs}
		if _, serr := os.Stat(lay.bucket()); serr != nil {
			return fmt.Errorf("no local bucket at %s: run the emulator first (go run ./scripts/dev), or pass --dir or --live", lay.bucket())
		}
		b, err = blob.Open(ctx, lay.bucketURL())
		where = lay.bucket()
	}
	if err != nil {
		return err
	}
	defer b.Close()
	rep, err := readJobReport(ctx, b, name)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	rep.print(os.Stdout)
	if l, err := send.ReadLatest(ctx, b, name); err == nil {
		fmt.Printf("report: %s/%s\n", where, l.Result)
	}
	return nil
}

// jobName accepts NAME, NAME.csv or uploads/NAME.csv.
func jobName(s string) string {
	s = strings.TrimPrefix(filepath.ToSlash(s), "uploads/")
	return strings.TrimSuffix(s, ".csv")
}
