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
	if !plainRecord(r) {
		return h.slow.Handle(ctx, r)
	}
	bp := lineBufs.Get().(*[]byte)
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
	r.Attrs(func(a slog.Attr) bool {
		b = appendAttr(b, a)
		return true
	})
	if id := ctxRequestID(ctx); id != "" {
		b = append(b, `,"request_id":`...)
		b = jsonstr.Append(b, id, escape)
	}
	b = append(b, "}\n"...)
	_, err := h.out.Write(b)
	if cap(b) <= 16<<10 { // one huge line does not pin its buffer
		*bp = b
		lineBufs.Put(bp)
	}
	return err
}

// plainRecord reports whether jsonLines writes r itself: every attribute
// of a kind appendAttr handles, with a key (slog elides or writes empty
// keys by rules not worth repeating), and a time slog can format.
func plainRecord(r slog.Record) bool {
	if y := r.Time.Year(); !r.Time.IsZero() && (y < 0 || y >= 10000) {
		return false
	}
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		switch a.Value.Kind() {
		case slog.KindString, slog.KindInt64, slog.KindUint64, slog.KindBool, slog.KindDuration:
			ok = a.Key != ""
		default:
			ok = false
		}
		return ok
	})
	return ok
}

// appendAttr appends ,"key":value as slog.JSONHandler does for the kinds
// plainRecord admits.
func appendAttr(b []byte, a slog.Attr) []byte {
	b = append(b, ',')
	b = jsonstr.Append(b, a.Key, escape)
	b = append(b, ':')
	switch v := a.Value; v.Kind() {
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
	return b
}
