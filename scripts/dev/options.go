package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"time"
)

// options configure the emulator.
type options struct {
	port       int
	dir        string // work directory: binaries, bucket, store, page
	repo       string // the smsjump checkout: functions/, static/
	demo       bool
	live       bool
	retryDelay time.Duration // between async attempts; SCF waits a minute
	noPage     bool
	yes        bool   // --live without the confirmation prompt
	logMode    string // human (default) or json
	// resumeEvery replaces send-sms's 2-minute resume timer, to watch a
	// scheduled campaign start (or a paused job resume) without waiting.
	resumeEvery time.Duration
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.IntVar(&o.port, "port", 8080, "HTTP port of the page and the get-scheme Function URL on 127.0.0.1")
	fs.StringVar(&o.dir, "dir", ".smsjump", "work directory for binaries, bucket, store and page")
	fs.StringVar(&o.repo, "repo", "", "the smsjump checkout (default: found from the current directory)")
	fs.BoolVar(&o.demo, "demo", false, "upload the example campaign, wait for it and print the summary")
	fs.BoolVar(&o.live, "live", false, "use the real WeChat and Tencent SMS APIs with credentials from the environment")
	fs.DurationVar(&o.retryDelay, "retry-delay", time.Minute, "delay between retries of a failed async invocation (SCF: 1m)")
	fs.BoolVar(&o.noPage, "no-page", false, "do not build the H5 page (serve only /api/scheme)")
	fs.BoolVar(&o.yes, "yes", false, "with --live: do not ask before the first real SMS of each job")
	fs.StringVar(&o.logMode, "log", "human", "human: Chinese lines for the operator, raw logs in <dir>/logs/; json: also every JSON log line on stderr")
	fs.DurationVar(&o.resumeEvery, "resume-every", 0, "fire send-sms's resume timer this often instead of every 2 minutes (e.g. 10s)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) > 0 {
		return o, usagef("unknown command %q", pos[0])
	}
	if o.port <= 0 || o.port > 65535 {
		return o, usagef("--port %d is not a TCP port", o.port)
	}
	if o.logMode != "human" && o.logMode != "json" {
		return o, usagef("--log %q: use human or json", o.logMode)
	}
	if o.resumeEvery < 0 || (o.resumeEvery > 0 && o.resumeEvery < time.Second) {
		return o, usagef("--resume-every must be at least 1s")
	}
	if o.retryDelay <= 0 {
		return o, usagef("--retry-delay must be positive")
	}
	if o.dir, err = filepath.Abs(o.dir); err != nil {
		return o, fmt.Errorf("--dir: %w", err)
	}
	if o.repo, err = findRepo(o.repo); err != nil {
		return o, err
	}
	return o, nil
}
