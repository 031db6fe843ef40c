package logging

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/jsonstr"
)

// jsonLines is the production JSON handler. It writes the lines
// slog.JSONHandler (with requestID) writes, byte for byte, but by hand for
// the records every request logs: attributes that are strings, integers,
// booleans or durations with non-empty keys. slog's generic path (handle
// state, Resolve, the request id added as a sixth attribute that grows the
// record) was a fifth of a warm get-scheme hit. Any other record, and any
// handler derived by WithAttrs or WithGroup, goes to slog.JSONHandler on the
// same writer. TestJSONLinesMatchSlog and FuzzJSONLines hold the two equal.
type jsonLines struct {
	level slog.Level
	out   *lockedWriter
	slow  slog.Handler
}

func (h *jsonLines) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *jsonLines) WithAttrs(as []slog.Attr) slog.Handler { return h.slow.WithAttrs(as) }
func (h *jsonLines) WithGroup(name string) slog.Handler    { return h.slow.WithGroup(name) }

// lineBufs keeps line buffers; Write does not retain them (io.Writer's
// contract).
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// escape is slog's JSON string escaping: no HTML escapes, \b and \f long.
const escape jsonstr.Style = 0

func (h *jsonLines) Handle(ctx context.Context, r slog.Record) error {
	if y := r.Time.Year(); !r.Time.IsZero() && (y < 0 || y >= 10000) {
		return h.slow.Handle(ctx, r) // slog writes an error for it
	}
	bp := lineBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 16<<10 { // one huge line does not pin its buffer
			lineBufs.Put(bp)
		}
	}()
	b := append((*bp)[:0], '{')
	if !r.Time.IsZero() {
		b = append(b, `"time":"`...)
		b = r.Time.Round(0).AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, `"level":`...)
	b = jsonstr.Append(b, r.Level.String(), escape)
	b = append(b, `,"msg":`...)
	b = jsonstr.Append(b, r.Message, escape)
	plain := true
	r.Attrs(func(a slog.Attr) bool {
		b, plain = appendAttr(b, a)
		return plain
	})
	*bp = b
	if !plain {
		return h.slow.Handle(ctx, r)
	}
	if id := ctxRequestID(ctx); id != "" {
		b = append(b, `,"request_id":`...)
		b = jsonstr.Append(b, id, escape)
	}
	b = append(b, "}\n"...)
	*bp = b
	_, err := h.out.Write(b)
	return err
}

// appendAttr appends ,"key":value as slog.JSONHandler does, for attributes
// with a key whose value is a string, an integer, a boolean or a duration.
// For any other it reports false: slog elides or writes empty keys, and
// resolves and encodes other kinds, by rules not worth repeating.
func appendAttr(b []byte, a slog.Attr) ([]byte, bool) {
	if a.Key == "" {
		return b, false
	}
	v := a.Value
	switch v.Kind() {
	case slog.KindString, slog.KindInt64, slog.KindUint64, slog.KindBool, slog.KindDuration:
	default:
		return b, false
	}
	b = append(b, ',')
	b = jsonstr.Append(b, a.Key, escape)
	b = append(b, ':')
	switch v.Kind() {
	case slog.KindString:
		b = jsonstr.Append(b, v.String(), escape)
	case slog.KindInt64:
		b = strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		b = strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindBool:
		b = strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		b = strconv.AppendInt(b, int64(v.Duration()), 10)
	}
	return b, true
}
