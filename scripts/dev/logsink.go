package main

import (
	"bytes"
	"io"
	"sync"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/jobview"
)

// logSink takes the functions' output, one "[name#n] " prefixed line per
// Write (host.Config's promise). Every line goes to the log file as it is,
// and, with --log json, to raw as well; the job events among them become
// the operator's lines through onEvent. Lines that are not JSON (a panic,
// a Go runtime message) are shown as they are: they are rare and matter.
type logSink struct {
	file    io.Writer // may be nil
	raw     io.Writer // --log json: stderr; else nil
	con     *console
	onEvent func(jobview.Event)

	mu   sync.Mutex
	last time.Time // of the last line, for quiet
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.last = time.Now()
	s.mu.Unlock()
	for _, line := range bytes.SplitAfter(p, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if s.file != nil {
			_, _ = s.file.Write(line)
		}
		if s.raw != nil {
			_, _ = s.raw.Write(line)
		}
		ev, ok := jobview.ParseLog(line)
		switch {
		case ok && s.onEvent != nil:
			s.onEvent(ev)
		case !ok && s.raw == nil:
			_, _ = s.con.Write(append([]byte("  | "), line...))
		}
	}
	return len(p), nil
}

// quiet waits until no line has come for gap, or max has passed: an
// invocation's reply can overtake its last log lines through the pipes,
// and a job's summary should come after its events.
func (s *logSink) quiet(gap, max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		idle := time.Since(s.last)
		s.mu.Unlock()
		if idle >= gap {
			return
		}
		time.Sleep(gap - idle)
	}
}
