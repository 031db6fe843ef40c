package logging

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// reference is the production JSON logger as it was before jsonLines: slog's
// own JSON handler with the request id added as an attribute.
func reference(buf *bytes.Buffer, level slog.Level) slog.Handler {
	return requestID{slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: level})}
}

// countSlow counts the records jsonLines hands to slog's handler.
type countSlow struct {
	slog.Handler
	n *int
}

func (h countSlow) Handle(ctx context.Context, r slog.Record) error {
	*h.n++
	return h.Handler.Handle(ctx, r)
}

var (
	when    = time.Date(2026, 11, 28, 7, 45, 1, 123456789, time.FixedZone("CST", 8*3600))
	withID  = functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{RequestID: "b5c1d6e0-2d5b"})
	emptyID = functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{})
)

func record(t time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(t, level, msg, 0)
	r.AddAttrs(attrs...)
	return r
}

// plainRecords are written by jsonLines itself.
var plainRecords = []slog.Record{
	record(when, slog.LevelInfo, "get-scheme",
		slog.String("campaign", "spring"), slog.String("code", "Ab****"), slog.Int("status", 200),
		slog.String("mode", "encrypted"), slog.String("source", "memory"), slog.Int64("ms", 0)),
	record(when, slog.LevelWarn, "get-scheme", slog.Int("status", 503), slog.String("err", "quota: \"44993\" <&> \n\t\r\b\f\x00 \u2028\u2029 \xff 春节")),
	record(when, slog.LevelError+2, `msg "quoted" \ back`, slog.Uint64("u", math.MaxUint64), slog.Int64("neg", math.MinInt64),
		slog.Bool("t", true), slog.Bool("f", false), slog.Duration("d", 1500*time.Millisecond)),
	record(when, slog.LevelDebug-1, "", slog.String("k\"ey<", "")),
	record(time.Time{}, slog.LevelInfo, "no time"),
	record(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), slog.LevelInfo, "utc, whole second"),
	record(when, slog.LevelInfo, "seven attributes", slog.Int("a", 1), slog.Int("b", 2), slog.Int("c", 3),
		slog.Int("d", 4), slog.Int("e", 5), slog.Int("f", 6), slog.Int("g", 7)),
}

// otherRecords go to slog.JSONHandler.
var otherRecords = []slog.Record{
	record(when, slog.LevelInfo, "float", slog.Float64("x", 0.1)),
	record(when, slog.LevelInfo, "time", slog.Time("at", when)),
	record(when, slog.LevelInfo, "error", slog.Any("err", errors.New("boom"))),
	record(when, slog.LevelInfo, "group", slog.Group("g", slog.String("a", "b"))),
	record(when, slog.LevelInfo, "empty key", slog.String("", "v")),
	record(when, slog.LevelInfo, "empty attr", slog.Attr{}),
	record(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "year 10000"),
}

func TestJSONLinesMatchSlog(t *testing.T) {
	for _, ctx := range []context.Context{context.Background(), withID, emptyID} {
		for i, r := range append(append([]slog.Record(nil), plainRecords...), otherRecords...) {
			var got, want bytes.Buffer
			h := New(&got, true, slog.LevelDebug-4).Handler()
			if err := h.Handle(ctx, r.Clone()); err != nil {
				t.Fatal(err)
			}
			if err := reference(&want, slog.LevelDebug-4).Handle(ctx, r.Clone()); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("record %d:\n got  %s want %s", i, got.String(), want.String())
			}
		}
	}
}

// TestJSONLinesWritesPlainRecords: the records get-scheme logs per request
// take the hand-written path (else the test above proves nothing about it),
// every other record slog's.
func TestJSONLinesWritesPlainRecords(t *testing.T) {
	var buf bytes.Buffer
	h := New(&buf, true, slog.LevelDebug-4).Handler().(*jsonLines)
	var slow int
	h.slow = countSlow{h.slow, &slow}
	for i, r := range plainRecords {
		_ = h.Handle(withID, r)
		if slow != 0 {
			t.Fatalf("plain record %d went to slog's handler", i)
		}
	}
	for i, r := range otherRecords {
		_ = h.Handle(withID, r)
		if slow != i+1 {
			t.Fatalf("other record %d not handed to slog's handler", i)
		}
	}
}

func TestJSONLinesDerived(t *testing.T) {
	var got, want bytes.Buffer
	r := record(when, slog.LevelInfo, "derived", slog.Int("n", 1))
	_ = New(&got, true, slog.LevelInfo).Handler().WithAttrs([]slog.Attr{slog.String("job", "j1")}).WithGroup("g").Handle(withID, r)
	_ = reference(&want, slog.LevelInfo).WithAttrs([]slog.Attr{slog.String("job", "j1")}).WithGroup("g").Handle(withID, r)
	if got.String() != want.String() || got.Len() == 0 {
		t.Errorf("got  %s want %s", got.String(), want.String())
	}
}

func TestJSONLinesLevel(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, true, slog.LevelWarn)
	log.Info("hidden")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
	log.Warn("shown")
	if buf.Len() == 0 {
		t.Fatal("warn not logged at warn level")
	}
}

func FuzzJSONLines(f *testing.F) {
	f.Add("get-scheme", "campaign", "spring", int64(200), "id-1")
	f.Add("a\"b", "k\\", "\xff\u2028<&>", int64(-1), "")
	f.Fuzz(func(t *testing.T, msg, key, val string, n int64, id string) {
		if key == "" {
			key = "k"
		}
		ctx := functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{RequestID: id})
		r := record(when, slog.Level(n%16), msg, slog.String(key, val), slog.Int64("n", n), slog.Bool(val, n > 0))
		if val == "" {
			r = record(when, slog.Level(n%16), msg, slog.String(key, val), slog.Int64("n", n))
		}
		var got, want bytes.Buffer
		_ = New(&got, true, slog.LevelDebug-16).Handler().Handle(ctx, r.Clone())
		_ = reference(&want, slog.LevelDebug-16).Handle(ctx, r.Clone())
		if got.String() != want.String() {
			t.Errorf("got  %s want %s", got.String(), want.String())
		}
	})
}
