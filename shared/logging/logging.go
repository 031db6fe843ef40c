// Package logging sets up log/slog the way every function logs: JSON lines on
// SCF (the log service indexes them), text locally, and the SCF request id
// attached to every line logged with a request's context.
package logging

import (
	"context"
	"io"
	"log/slog"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// New returns a logger writing to w: JSON when json is true, else text.
func New(w io.Writer, json bool, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if json {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(requestID{h})
}

// requestID adds the SCF request id found in the context.
type requestID struct{ slog.Handler }

func (h requestID) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := functioncontext.FromContext(ctx); ok && lc.RequestID != "" {
		r.AddAttrs(slog.String("request_id", lc.RequestID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestID) WithAttrs(as []slog.Attr) slog.Handler { return requestID{h.Handler.WithAttrs(as)} }
func (h requestID) WithGroup(name string) slog.Handler    { return requestID{h.Handler.WithGroup(name)} }
