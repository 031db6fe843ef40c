package host

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// asyncLog captures a pool's slog records.
type asyncLog struct{ buf lockedBuffer }

func (l *asyncLog) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(&l.buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func (l *asyncLog) records(msg string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

func TestInvokeAsync(t *testing.T) {
	tests := []struct {
		name         string
		req          fnRequest
		retry        RetryPolicy
		wantAttempts int
		wantErr      error // nil: success
		wantFnErr    bool
	}{
		{"fails every time", fnRequest{Op: "flaky", Until: 100}, RetryPolicy{Delay: 10 * time.Millisecond}, 3, nil, true},
		{"succeeds on second attempt", fnRequest{Op: "flaky", Until: 2}, RetryPolicy{Delay: 10 * time.Millisecond}, 2, nil, false},
		{"timeout then success", fnRequest{Op: "flaky", Until: 2, MS: 5000}, RetryPolicy{Delay: 10 * time.Millisecond}, 2, nil, false},
		{"timeout every time", fnRequest{Op: "flaky", Until: 100, MS: 5000}, RetryPolicy{Retries: 1, Delay: 10 * time.Millisecond}, 2, ErrTimeout, false},
		{"no retries", fnRequest{Op: "flaky", Until: 100}, RetryPolicy{Retries: -1}, 1, nil, true},
		{"first attempt succeeds", fnRequest{Op: "flaky", Until: 1}, RetryPolicy{}, 1, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log asyncLog
			p := newTestPool(t, func(c *Config) { c.Timeout = 500 * time.Millisecond; c.Logger = log.logger() })
			tt.req.File = filepath.Join(t.TempDir(), "attempts")
			res := <-p.InvokeAsync(context.Background(), payload(t, tt.req), InvokeOptions{}, tt.retry)

			if res.Attempts != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d (err %v)", res.Attempts, tt.wantAttempts, res.Err)
			}
			var fe *FunctionError
			switch {
			case tt.wantFnErr:
				if !errors.As(res.Err, &fe) {
					t.Errorf("err = %v, want a FunctionError", res.Err)
				}
			case tt.wantErr != nil:
				if !errors.Is(res.Err, tt.wantErr) {
					t.Errorf("err = %v, want %v", res.Err, tt.wantErr)
				}
			default:
				var got fnResponse
				if res.Err != nil || json.Unmarshal(res.Payload, &got) != nil || got.Attempt != tt.wantAttempts {
					t.Errorf("result = %+v (payload %s), want success on attempt %d", res, res.Payload, tt.wantAttempts)
				}
			}
			retries := log.records("async invocation failed, will retry")
			if len(retries) != tt.wantAttempts-1 {
				t.Errorf("%d retry records, want %d", len(retries), tt.wantAttempts-1)
			}
			for _, rec := range retries {
				if rec["request_id"] != res.RequestID {
					t.Errorf("retry logged request_id %v, want the same id %s on every attempt", rec["request_id"], res.RequestID)
				}
			}
		})
	}
}

func TestInvokeAsyncRejected(t *testing.T) {
	p := newTestPool(t, nil)
	res := <-p.InvokeAsync(context.Background(), make([]byte, MaxAsyncPayload+1), InvokeOptions{}, RetryPolicy{})
	if !errors.Is(res.Err, ErrPayloadTooLarge) || res.Attempts != 0 {
		t.Errorf("result = %+v, want ErrPayloadTooLarge without an attempt", res)
	}
}

func TestInvokeAsyncStops(t *testing.T) {
	tests := []struct {
		name string
		stop func(p *Pool, cancel context.CancelFunc)
		want error
	}{
		{"Close", func(p *Pool, _ context.CancelFunc) { _ = p.Close() }, ErrClosed},
		{"context", func(_ *Pool, cancel context.CancelFunc) { cancel() }, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log asyncLog
			p := newTestPool(t, func(c *Config) { c.Logger = log.logger() })
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req := fnRequest{Op: "flaky", Until: 100, File: filepath.Join(t.TempDir(), "attempts")}
			ch := p.InvokeAsync(ctx, payload(t, req), InvokeOptions{RequestID: "async-1"}, RetryPolicy{Delay: time.Hour})
			for len(log.records("async invocation failed, will retry")) == 0 {
				time.Sleep(time.Millisecond)
			}
			tt.stop(p, cancel)
			res := <-ch
			var fe *FunctionError
			if !errors.Is(res.Err, tt.want) || !errors.As(res.Err, &fe) || res.Attempts != 1 || res.RequestID != "async-1" {
				t.Errorf("result = %+v, want %v with the last FunctionError after 1 attempt", res, tt.want)
			}
			if _, open := <-ch; open {
				t.Error("channel not closed after the result")
			}
		})
	}
}
