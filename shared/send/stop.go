package send

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// stopCause says why a run stops taking rows before the end of the file.
type stopCause int32

const (
	keepGoing stopCause = iota
	stopDeadline
	stopWindow
	stopLeaseLost
	stopAbort      // a checkpoint or report write failed
	stopLimit      // the API answered with a limit that lifts by itself
	stopOperator   // control/<name>.stop appeared
	stopSuperseded // a newer upload of the name started
)

// stopper is the one place a run's "stop taking rows" decision lives. The
// monitor, the lease keeper, the workers and the checkpoint set it; the feed
// and the workers read it. The first cause wins, except a lost lease, which
// overrides everything: the state is no longer ours to write.
type stopper struct {
	log   *slog.Logger
	cause atomic.Int32
	fatal atomic.Pointer[Fatal]

	mu    sync.Mutex
	err   error     // why stopAbort
	until time.Time // when the latest limit met lifts
	code  string    // that limit's code
}

// limit stops the run because the API answered a limit that lifts by
// itself at until (the marketing window, a daily total). The rows of that
// call stay open and are sent when the job resumes.
func (s *stopper) limit(code string, until time.Time) {
	s.mu.Lock()
	first := s.until.IsZero()
	if until.After(s.until) {
		s.until, s.code = until, code
	}
	s.mu.Unlock()
	if first {
		s.log.Warn("send-sms: the SMS API says to wait; the job is deferred", "code", code, "until", until)
	}
	s.request(stopLimit)
}

// limited returns when the limit met lifts, zero if none was met.
func (s *stopper) limited() (time.Time, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.until, s.code
}

// request stops the run for c unless it is already stopping.
func (s *stopper) request(c stopCause) { s.cause.CompareAndSwap(int32(keepGoing), int32(c)) }

// leaseLost stops the run whatever else was going on.
func (s *stopper) leaseLost() { s.cause.Store(int32(stopLeaseLost)) }

func (s *stopper) why() stopCause { return stopCause(s.cause.Load()) }

func (s *stopper) stopping() bool { return s.why() != keepGoing }

// abort stops the run because a checkpoint or report write failed; the
// invocation returns err so that SCF retries it.
func (s *stopper) abort(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	s.request(stopAbort)
}

func (s *stopper) abortErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// setFatal records the first reason no row may be sent any more.
func (s *stopper) setFatal(f *Fatal) {
	if s.fatal.CompareAndSwap(nil, f) {
		s.log.Error("send-sms: job stops sending", "reason", f.Reason, "code", f.Code, "detail", f.Detail, "fix", f.Fix)
	}
}

func (s *stopper) fatalReason() *Fatal { return s.fatal.Load() }
