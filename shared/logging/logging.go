// Package logging sets up log/slog the way every function logs: JSON on SCF
// (the log service indexes the fields), text locally, and the SCF request id
// attached to every line logged with a request's context.
package logging

import (
	"context"
	"io"
	"log/slog"
	"sync"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// New returns a logger writing to w: JSON when json is true, else text.
// Every line is one Write of a whole line, serialised by one lock.
func New(w io.Writer, json bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if json {
		out := &lockedWriter{w: w}
		return slog.New(&jsonLines{level: level, out: out, slow: requestID{slog.NewJSONHandler(out, opts)}})
	}
	return slog.New(requestID{slog.NewTextHandler(w, opts)})
}

// requestID adds the SCF request id found in the context.
type requestID struct{ slog.Handler }

func (h requestID) Handle(ctx context.Context, r slog.Record) error {
	if id := ctxRequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestID) WithAttrs(as []slog.Attr) slog.Handler { return requestID{h.Handler.WithAttrs(as)} }
func (h requestID) WithGroup(name string) slog.Handler    { return requestID{h.Handler.WithGroup(name)} }

// ctxRequestID is the SCF invocation's request id, or "".
func ctxRequestID(ctx context.Context) string {
	if lc, ok := functioncontext.FromContext(ctx); ok {
		return lc.RequestID
	}
	return ""
}

// lockedWriter serialises whole lines from both JSON paths (jsonLines and
// the slog.JSONHandler it falls back to, whose own lock does not cover the
// other path).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
