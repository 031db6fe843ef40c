package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error kinds. Test with errors.Is; a function's own error is a *FunctionError
// (errors.As) and matches none of these.
var (
	ErrInvalidConfig   = errors.New("host: invalid config")
	ErrStart           = errors.New("host: function instance failed to start")
	ErrTimeout         = errors.New("host: invocation timed out")
	ErrTransport       = errors.New("host: function instance lost")
	ErrPayloadTooLarge = errors.New("host: payload too large")
	ErrClosed          = errors.New("host: pool closed")
)

// FunctionError is an error returned (or a panic raised) by the function's
// handler, as the runtime reported it.
type FunctionError struct {
	Message    string
	Type       string // Go type name of the error value, e.g. "errorString"
	StackTrace []StackFrame
	// ShouldExit is set after a panic; the host then retires the instance.
	ShouldExit bool
}

// StackFrame is one frame of a panic's stack trace.
type StackFrame struct {
	Path  string
	Line  int32
	Label string
}

func (e *FunctionError) Error() string {
	if e.Type == "" {
		return e.Message
	}
	return e.Type + ": " + e.Message
}

// TimeoutError reports an invocation that outlived the function timeout; the
// instance was killed. It matches ErrTimeout.
type TimeoutError struct {
	Function  string
	RequestID string
	Timeout   time.Duration
}

// Error is SCF's own message, so logs read the same locally and on SCF; the
// pool's wrapping adds the function and request id.
func (e *TimeoutError) Error() string {
	return "Invoking task timed out after " + formatTimeout(e.Timeout)
}

// Is makes errors.Is(err, ErrTimeout) true.
func (e *TimeoutError) Is(target error) bool { return target == ErrTimeout }

func formatTimeout(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d seconds", d/time.Second)
	}
	return d.String()
}

// InstanceError reports a failure of the process or the RPC link rather than of
// the handler: it matches ErrStart when the instance never became ready and
// ErrTransport when it was lost during an invocation.
type InstanceError struct {
	Kind     error // ErrStart or ErrTransport
	Function string
	Instance int
	Op       string // what the host was doing: "start", "ping", "invoke"
	Exit     string // "exit status 1", "signal: killed"; empty while the process runs
	Stderr   string // tail of the process's stderr
	Err      error
}

func (e *InstanceError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s#%d: %s", e.Function, e.Instance, e.Op)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Exit != "" {
		fmt.Fprintf(&b, " (process %s)", e.Exit)
	}
	if s := strings.TrimSpace(e.Stderr); s != "" {
		fmt.Fprintf(&b, "; stderr tail:\n%s", s)
	}
	return b.String()
}

// Is makes errors.Is match the kind.
func (e *InstanceError) Is(target error) bool { return target == e.Kind }

func (e *InstanceError) Unwrap() error { return e.Err }

// retryable tells whether SCF would retry an async invocation that failed this
// way: function errors, timeouts and lost or unstartable instances are retried;
// requests SCF rejects up front and cancellations are not.
func retryable(err error) bool {
	if errors.Is(err, ErrClosed) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var fe *FunctionError
	return errors.As(err, &fe) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrTransport) || errors.Is(err, ErrStart)
}
