package send

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// plainCSV has n valid, distinct numbers with a name column.
func plainCSV(n int) string {
	var b strings.Builder
	b.WriteString("phone,name\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s,用户%d\n", phoneN(i), i%1000)
	}
	return b.String()
}

var noticeManifest = map[string]any{
	"campaign_id": "spring", "sms_type": "notification",
	"target": map[string]any{"path": "pages/index/index"},
	"params": []any{map[string]any{"column": "name"}},
}

func TestFaultsEndInCorrectStates(t *testing.T) {
	tests := []struct {
		name   string
		perRow bool // one number per call instead of 200
		faults smsapi.Faults
		check  func(t *testing.T, s Summary, rows []Result)
	}{
		{
			name:   "rate limits and internal errors are retried",
			perRow: true,
			faults: smsapi.Faults{RequestErrors: map[string]float64{
				"RequestLimitExceeded": 0.2, "InternalError.SendAndRecvFail": 0.1}},
			check: func(t *testing.T, s Summary, rows []Result) {
				// Four attempts at 10 % make a failure after retries rare
				// but possible; nearly everything must be sent.
				if s.Sent < s.Rows-5 || s.Unknown != 0 || s.NotSent != 0 {
					t.Errorf("summary %+v", s)
				}
				if s.Calls <= s.Rows {
					t.Errorf("calls %d: retries did not happen", s.Calls)
				}
			},
		},
		{
			name:   "number errors are final for the number",
			faults: smsapi.Faults{NumberErrors: map[string]float64{"FailedOperation.PhoneNumberInBlacklist": 0.1}},
			check: func(t *testing.T, s Summary, rows []Result) {
				if s.Failed == 0 || s.Failed+s.Sent != s.Rows {
					t.Errorf("summary %+v", s)
				}
				for _, r := range rows {
					if r.State == StateFailed && (r.Reason != ReasonAPIRefused || r.Code != "FailedOperation.PhoneNumberInBlacklist") {
						t.Fatalf("failed row %+v", r)
					}
				}
			},
		},
		{
			name:   "a timeout after sending is unknown and not retried",
			perRow: true,
			faults: smsapi.Faults{TimeoutRate: 0.3, Hang: time.Second},
			check: func(t *testing.T, s Summary, rows []Result) {
				if s.Unknown == 0 || s.Unknown+s.Sent != s.Rows {
					t.Errorf("summary %+v", s)
				}
				for _, r := range rows {
					if r.State == StateUnknown && r.Reason != ReasonMaybeSent {
						t.Fatalf("unknown row %+v", r)
					}
				}
			},
		},
		{
			name:   "insufficient balance stops the job",
			faults: smsapi.Faults{BalanceAfter: 250},
			check: func(t *testing.T, s Summary, rows []Result) {
				if s.State != StatusFailed || s.Sent != 250 || s.NotSent != s.Rows-250 || s.Error == nil ||
					s.Error.Code != "FailedOperation.InsufficientBalanceInSmsPackage" {
					t.Errorf("summary %+v error %+v", s, s.Error)
				}
				for _, r := range rows {
					if r.State == StateNotSent && r.Reason != ReasonJobStopped {
						t.Fatalf("row %+v", r)
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(o *Options) { o.Workers = 8 }, func(o *smsapi.Options) { o.Faults = tt.faults })
			n := 1000
			// One constant parameter: batches of 200 numbers.
			param := map[string]any{"const": "朋友"}
			if tt.perRow {
				n, param = 200, map[string]any{"column": "name"}
			}
			e.put("uploads/f.csv", []byte(plainCSV(n)))
			e.putManifest("f", map[string]any{
				"campaign_id": "spring", "sms_type": "notification",
				"target": map[string]any{"path": "pages/index/index"},
				"params": []any{param},
			})
			e.run(context.Background(), "f")
			rows := e.results("f")
			s := e.summary("f")
			if len(rows) != n || s.Rows != n {
				t.Fatalf("%d rows, summary %d", len(rows), s.Rows)
			}
			counts := e.countOutbox()
			for _, r := range rows {
				got := counts[r.Phone]
				switch r.State {
				case StateSent:
					if got != 1 {
						t.Fatalf("sent row %d got %d messages", r.Row, got)
					}
				case StateFailed, StateNotSent:
					if got != 0 {
						t.Fatalf("%s row %d got %d messages", r.State, r.Row, got)
					}
				case StateUnknown:
					if got > 1 {
						t.Fatalf("unknown row %d got %d messages", r.Row, got)
					}
				}
			}
			tt.check(t, s, rows)
		})
	}
}

func TestInvalidManifestSendsNothing(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("uploads/inv.csv", []byte(plainCSV(20)))
	e.put("uploads/inv.json", []byte(`{"campaign_id":"spring","sms_type":"notification","parms":[]}`))
	out := e.run(context.Background(), "inv")
	if out.Status != StatusFailed {
		t.Fatalf("status %s", out.Status)
	}
	s := e.summary("inv")
	if s.Error == nil || s.Error.Reason != ReasonInvalidManifest || !strings.Contains(s.Error.Detail, "parms") {
		t.Errorf("error %+v", s.Error)
	}
	if s.NotSent != 20 || e.srv.Count() != 0 {
		t.Errorf("summary %+v, outbox %d", s, e.srv.Count())
	}
	for _, r := range e.results("inv") {
		if r.State != StateNotSent || r.Reason != ReasonInvalidManifest {
			t.Fatalf("row %+v", r)
		}
	}
}

// TestInvalidManifestLogsInOrder: the operator's terminal reads the job's
// log lines as events, so "job started" comes before the reason it stops.
func TestInvalidManifestLogsInOrder(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) }, nil)
	e.put("uploads/inv.csv", []byte(plainCSV(3)))
	e.put("uploads/inv.json", []byte(`{"campaign_id":"spring","sms_type":"notification","parms":[]}`))
	e.run(context.Background(), "inv")
	var msgs []string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var l struct{ Msg string }
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		msgs = append(msgs, l.Msg)
	}
	started, stops := slices.Index(msgs, "send-sms: job started"), slices.Index(msgs, "send-sms: job stops sending")
	if started < 0 || stops < 0 || stops < started {
		t.Fatalf("log order %q: want job started before job stops sending", msgs)
	}
}

// syncBuffer is a bytes.Buffer safe for the job's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDryRunSendsNothingAndCountsSegments(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("uploads/dry.csv", []byte("phone,name\n13900000001,短\n13900000002,"+strings.Repeat("长", 30)+"\n"))
	m := map[string]any{"dry_run": true, "param_max_len": 40}
	for k, v := range noticeManifest {
		m[k] = v
	}
	e.putManifest("dry", m)
	if out := e.run(context.Background(), "dry"); out.Status != StatusDone {
		t.Fatalf("status %s", out.Status)
	}
	rows := e.results("dry")
	if rows[0].Segments != 1 || rows[1].Segments != 2 || rows[0].State != StateNotSent || rows[0].Reason != ReasonDryRun {
		t.Errorf("rows %+v", rows)
	}
	s := e.summary("dry")
	if !s.DryRun || s.SegmentsBilled != 3 || e.srv.Count() != 0 || s.Calls != 0 {
		t.Errorf("summary %+v outbox %d", s, e.srv.Count())
	}
}
