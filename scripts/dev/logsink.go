package main

import (
	"bytes"
	"io"

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
}

func (s *logSink) Write(p []byte) (int, error) {
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
