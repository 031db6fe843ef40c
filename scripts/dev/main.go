// Command dev is the local emulator and the operator's tools: with no
// subcommand it runs the whole flow on loopback (the three functions as built
// binaries behind the SCF runtime host, the WeChat and SMS sandboxes, the
// store, a local bucket with its COS trigger, the timers and the H5 page);
// the subcommands check a CSV, print a scheme and read a job's status.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  go run ./scripts/dev [--demo] [--live [--yes]] [--port 8080] [--dir ./.smsjump] [--log human|json]
      run the emulator: functions, sandboxes, bucket watcher, timers and the page;
      --live asks before each job's first real SMS unless --yes
  go run ./scripts/dev check FILE.csv [--manifest FILE.json] [--out DIR] [--price 0.045]
      validate a campaign without sending: summary, result.csv and rejects.csv
  go run ./scripts/dev scheme --path pages/index/index [--query a=1] [--live]
      print a URL Scheme from the sandbox (or from WeChat with --live)
  go run ./scripts/dev status NAME [--live] [--json]
      print a job's state, counts and progress from the local bucket (or COS with --live)
  go run ./scripts/dev doctor [--live] [--checks wechat,sms,cos,store,page] [--manifests]
      read-only checks of the account before a deploy, one line each with the fix
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := dispatch(ctx, os.Args[1:])
	stop()
	if err == nil {
		return
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	os.Exit(1)
}

// dispatch runs the subcommand named by args[0], or the emulator.
func dispatch(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "check":
			return runCheck(ctx, args[1:])
		case "scheme":
			return runScheme(ctx, args[1:])
		case "status":
			return runStatus(ctx, args[1:])
		case "doctor":
			return runDoctor(ctx, args[1:])
		case "help", "-h", "--help":
			return flag.ErrHelp
		}
	}
	return runEmulator(ctx, args)
}

// usageError is a command line the program cannot act on.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}
