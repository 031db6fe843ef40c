// Command fn is the function binary the host tests run. The payload's "op"
// chooses a behaviour, one per property of the runtime the tests check.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction"
	"github.com/tencentyun/scf-go-lib/functioncontext"

	"github.com/smsjump/smsjump/shared/scf/serve"
)

type request struct {
	Op    string `json:"op"`
	Value string `json:"value,omitempty"`
	MS    int    `json:"ms,omitempty"`    // sleep, flaky
	Code  int    `json:"code,omitempty"`  // exit
	Name  string `json:"name,omitempty"`  // env
	File  string `json:"file,omitempty"`  // flaky: attempt counter that survives restarts; barrier: directory
	Until int    `json:"until,omitempty"` // flaky: attempt that first succeeds; barrier: instances to wait for
}

type response struct {
	Echo      string            `json:"echo,omitempty"`
	Count     int64             `json:"count,omitempty"`
	PID       int               `json:"pid,omitempty"`
	ChildPID  int               `json:"child_pid,omitempty"`
	Env       string            `json:"env,omitempty"`
	Deadline  int64             `json:"deadline_unix_nano,omitempty"`
	Context   map[string]string `json:"context,omitempty"`
	Attempt   int               `json:"attempt,omitempty"`
	HasCancel bool              `json:"has_deadline,omitempty"`
}

// quotaError gives the error a type name the tests can expect in FunctionError.Type.
type quotaError struct{ left int }

func (e *quotaError) Error() string { return fmt.Sprintf("quota exhausted, %d left", e.left) }

var counter atomic.Int64

func handle(ctx context.Context, req request) (response, error) {
	switch req.Op {
	case "echo":
		return response{Echo: req.Value}, nil
	case "error":
		return response{}, &quotaError{left: 0}
	case "panic":
		panic("boom: " + req.Value)
	case "sleep":
		// Ignores ctx on purpose: the platform, not the function, must end it.
		time.Sleep(time.Duration(req.MS) * time.Millisecond)
		return response{Echo: "slept"}, nil
	case "count":
		return response{Count: counter.Add(1), PID: os.Getpid()}, nil
	case "env":
		return response{Env: os.Getenv(req.Name)}, nil
	case "deadline":
		d, ok := ctx.Deadline()
		fc, _ := functioncontext.FromContext(ctx)
		return response{Deadline: d.UnixNano(), HasCancel: ok, Context: map[string]string{
			"request_id":    fc.RequestID,
			"function_name": fc.FunctionName,
			"namespace":     fc.Namespace,
			"version":       fc.FunctionVersion,
			"memory":        strconv.Itoa(int(fc.MemoryLimitInMb)),
			"time_limit":    strconv.Itoa(int(fc.TimeLimitInMs)),
			"region":        fc.TencentcloudRegion,
			"global_name":   functioncontext.FunctionName,
		}}, nil
	case "exit":
		fmt.Fprintln(os.Stderr, "fatal: exiting on request")
		os.Exit(req.Code)
	case "spawn":
		// A child that would outlive the function if the host did not kill the group.
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "FN_CHILD_SLEEP=1")
		if err := cmd.Start(); err != nil {
			return response{}, err
		}
		return response{PID: os.Getpid(), ChildPID: cmd.Process.Pid}, nil
	case "print":
		fmt.Println("out: " + req.Value)
		fmt.Fprint(os.Stderr, "err: "+req.Value)
		fmt.Fprintln(os.Stderr, " (done)")
		return response{Echo: req.Value}, nil
	case "lines":
		// Until lines on stdout, one write each, then the answer.
		for i := range req.Until {
			fmt.Printf("line %d of %d\n", i+1, req.Until)
		}
		return response{Count: int64(req.Until)}, nil
	case "barrier":
		// Returns only once Until invocations are inside the function at the same
		// time, which proves they run on different instances.
		if err := os.WriteFile(fmt.Sprintf("%s/%d", req.File, os.Getpid()), nil, 0o600); err != nil {
			return response{}, err
		}
		for {
			entries, err := os.ReadDir(req.File)
			if err != nil {
				return response{}, err
			}
			if len(entries) >= req.Until {
				return response{PID: os.Getpid()}, nil
			}
			select {
			case <-ctx.Done():
				return response{}, fmt.Errorf("barrier: %d of %d arrived: %w", len(entries), req.Until, ctx.Err())
			case <-time.After(5 * time.Millisecond):
			}
		}
	case "flaky":
		n := bump(req.File)
		if n < req.Until {
			if req.MS > 0 {
				time.Sleep(time.Duration(req.MS) * time.Millisecond)
			}
			return response{}, fmt.Errorf("attempt %d fails", n)
		}
		return response{Attempt: n}, nil
	}
	return response{}, errors.New("unknown op " + strconv.Quote(req.Op))
}

// bump increments the counter kept in file; a file, not memory, because a
// timed-out attempt restarts the process.
func bump(file string) int {
	b, _ := os.ReadFile(file)
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	n++
	if err := os.WriteFile(file, []byte(strconv.Itoa(n)), 0o600); err != nil {
		panic(err)
	}
	return n
}

func main() {
	if os.Getenv("FN_CHILD_SLEEP") == "1" {
		time.Sleep(time.Hour)
		return
	}
	if os.Getenv("FN_FAIL_INIT") == "1" {
		fmt.Fprintln(os.Stderr, "config: WECHAT_APPID is not set")
		os.Exit(3)
	}
	// FN_SERVER=smsjump serves through our implementation of the runtime
	// protocol (shared/scf/serve); the default is scf-go-lib's own Start.
	// TestServersAgree runs the same invocations against both.
	if os.Getenv("FN_SERVER") == "smsjump" {
		serve.Start(serve.JSON(func(ctx context.Context, event json.RawMessage) (response, error) {
			var req request
			if err := json.Unmarshal(event, &req); err != nil {
				return response{}, err
			}
			return handle(ctx, req)
		}))
		return
	}
	cloudfunction.Start(handle)
}
