package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/send"
)

// badKinds is one row of every kind; fmt verbs take a distinct number.
var badKinds = []struct {
	format string // %d: a number unique to the row
	state  string
	reason string
}{
	{"139%08d,张三", send.StateSent, ""},
	{",李四", send.StateRejected, "empty_phone"},
	{"12345,王五", send.StateRejected, "invalid_phone"},
	{"+852 5%07d,陈六", send.StateRejected, "not_mainland"},
	{"010-6%07d,赵七", send.StateRejected, "not_mobile"},
	{"DUP,重复", send.StateRejected, "duplicate"}, // the number of the row 5 above
	{"139%08d,张三,多余", send.StateRejected, "bad_field_count"},
	{`139%08d,"郑十"x`, send.StateRejected, "bad_quote"},
	{"139%08d,", send.StateRejected, "missing_column"},
	{"139%08d,一二三四五六七八九十一二三", send.StateRejected, "param_too_long"},
	{"139%08d,x.com", send.StateRejected, "param_contains_url"},
	{"139%08d,【官方】", send.StateRejected, "forbidden_symbol"},
	{`139%08d,"王,小二"`, send.StateSent, ""},
	{"139%08d," + strings.Repeat("长", 1500), send.StateRejected, "row_too_long"},
}

func badCSV(n int) (data []byte, states, reasons []string) {
	var b bytes.Buffer
	b.WriteString("phone,name\r\n")
	for i := range n {
		k := badKinds[i%len(badKinds)]
		var line string
		switch {
		case k.format == "DUP,重复":
			line = fmt.Sprintf("+86 139-%04d-%04d,重复", (i-5)/10000, (i-5)%10000)
		case strings.Contains(k.format, "%"):
			line = fmt.Sprintf(k.format, i)
		default:
			line = k.format
		}
		b.WriteString(line + "\r\n")
		if i%100 == 99 {
			b.WriteString("\r\n,,\r\n") // blank and ghost lines are not rows
		}
		states = append(states, k.state)
		reasons = append(reasons, k.reason)
	}
	return b.Bytes(), states, reasons
}

func TestTenThousandRowsEveryKindOfBadRow(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	const n = 10000
	data, states, reasons := badCSV(n)
	h.put("uploads/bad.csv", data)
	h.putManifest("bad", noticeManifest)
	reply, err := h.invoke(h.cosEvent("uploads/bad.json", "uploads/bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Jobs) != 1 || reply.Jobs[0].Status != send.StatusDone {
		t.Fatalf("reply %+v", reply)
	}
	rows := h.results("bad")
	if len(rows) != n {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		if r.State != states[i] || r.Reason != reasons[i] {
			t.Fatalf("row %d: %s/%s, want %s/%s", r.Row, r.State, r.Reason, states[i], reasons[i])
		}
	}
	s := h.summary("bad")
	perKind := (n + len(badKinds) - 1) / len(badKinds)
	if s.Rows != n || s.Sent < 2*(perKind-1) || s.ByReason["duplicate"] < perKind-1 {
		t.Errorf("summary %+v", s)
	}
	h.checkOnce(rows)
	if h.srv.Count() != s.Sent {
		t.Errorf("outbox %d, sent %d", h.srv.Count(), s.Sent)
	}
}

func TestSameEventTwiceAtOnceAndAgainLater(t *testing.T) {
	h := newHarness(t, harnessConfig{faults: smsapi.Faults{Latency: 10 * time.Millisecond}})
	const n = 2000
	h.put("uploads/twice.csv", plainCSV(n))
	h.putManifest("twice", noticeManifest)
	ev := h.cosEvent("uploads/twice.csv")
	ctx := context.Background()
	retry := host.RetryPolicy{Retries: -1}
	a := h.pool.InvokeAsync(ctx, ev, host.InvokeOptions{}, retry)
	b := h.pool.InvokeAsync(ctx, ev, host.InvokeOptions{}, retry)
	ra, rb := <-a, <-b
	if ra.Err != nil || rb.Err != nil {
		t.Fatalf("errors: %v / %v", ra.Err, rb.Err)
	}
	// One of them ran the job; the other left it alone without an error.
	both := string(ra.Payload) + string(rb.Payload)
	if strings.Count(both, `"status":"done"`) != 1 || !strings.Contains(both, "running in another invocation") {
		t.Fatalf("replies %s / %s", ra.Payload, rb.Payload)
	}
	reply, err := h.invoke(ev) // the retry a minute later
	if err != nil || reply.Jobs[0].Note != "already finished" {
		t.Fatalf("later: %+v %v", reply, err)
	}
	rows := h.results("twice")
	h.checkOnce(rows)
	if h.srv.Count() != n {
		t.Fatalf("outbox %d", h.srv.Count())
	}
}

// functionPIDs finds the running instances of the function binary.
func functionPIDs(bin string) []int {
	ents, _ := os.ReadDir("/proc")
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err == nil && exe == bin {
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestSIGKILLMidSendResumes(t *testing.T) {
	if _, err := os.Stat("/proc/self/exe"); err != nil {
		t.Skip("needs /proc to find the function process")
	}
	h := newHarness(t, harnessConfig{
		faults: smsapi.Faults{Latency: 20 * time.Millisecond},
		env:    map[string]string{"SMS_QPS": "500", "SEND_LEASE_TTL": "1s"},
	})
	const n = 3000
	h.put("uploads/kill.csv", plainCSV(n))
	h.putManifest("kill", noticeManifest)
	ev := h.cosEvent("uploads/kill.csv")
	// Late enough that checkpoints happened: the resume must not start over.
	h.killOnceSent(ev, 1500)
	before := h.srv.Count()
	if before >= n {
		t.Fatalf("all %d sent before the kill", before)
	}
	// SCF retries the event; the dead run's lease expires first.
	reply := h.invokeUntilDone(ev)
	if reply.Jobs[0].Status != send.StatusDone {
		t.Fatalf("not resumed: %+v", reply)
	}
	rows := h.results("kill")
	s := h.summary("kill")
	if len(rows) != n || s.Sent != n || s.Runs != 2 {
		t.Fatalf("summary %+v", s)
	}
	h.checkOnce(rows)
	twice := h.srv.Count() - n
	t.Logf("killed after %d messages; %d rows flagged in flight, %d sent twice", before, s.InFlightAtCrash, twice)
	if twice >= before/2 || s.InFlightAtCrash > 4*500 {
		t.Errorf("the resume redid too much: %d of %d sent again, %d flagged", twice, before, s.InFlightAtCrash)
	}
}

func TestFaultInjection(t *testing.T) {
	h := newHarness(t, harnessConfig{
		faults: smsapi.Faults{
			RequestErrors: map[string]float64{"RequestLimitExceeded": 0.1, "InternalError.SendAndRecvFail": 0.05},
			NumberErrors:  map[string]float64{"FailedOperation.PhoneNumberInBlacklist": 0.03},
			TimeoutRate:   0.02, Hang: 2 * time.Second,
			BalanceAfter: 700,
		},
		env: map[string]string{"SMS_TIMEOUT": "300ms"},
	})
	const n = 1200
	h.put("uploads/faults.csv", plainCSV(n))
	h.putManifest("faults", noticeManifest)
	reply, err := h.invoke(h.cosEvent("uploads/faults.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if reply.Jobs[0].Status != send.StatusFailed {
		t.Fatalf("reply %+v", reply)
	}
	rows := h.results("faults")
	s := h.summary("faults")
	if len(rows) != n || s.Error == nil || s.Error.Code != "FailedOperation.InsufficientBalanceInSmsPackage" {
		t.Fatalf("summary %+v", s)
	}
	// The package ran dry at exactly 700 accepted messages. How many of them
	// the job saw answered (sent) rather than timed out (unknown) depends on
	// the machine's load, so only the sum is bounded from below.
	if h.srv.Count() != 700 || s.Sent > 700 || s.Sent+s.Unknown < 700 || s.NotSent == 0 || s.Failed == 0 {
		t.Errorf("outbox %d, summary %+v", h.srv.Count(), s)
	}
	for _, r := range rows {
		ok := r.State == send.StateSent && r.SerialNo != "" ||
			r.State == send.StateFailed && (r.Reason == send.ReasonAPIRefused || r.Reason == send.ReasonRetriesExceeded) ||
			r.State == send.StateUnknown && r.Reason == send.ReasonMaybeSent ||
			r.State == send.StateNotSent && r.Reason == send.ReasonJobStopped
		if !ok {
			t.Fatalf("row %+v", r)
		}
	}
	h.checkOnce(rows)
}

func TestEncodings(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	for _, f := range []string{"excel_gb18030", "bom_crlf"} {
		data, err := os.ReadFile(filepath.Join("testdata", f+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		h.put("uploads/"+f+".csv", data)
		m := map[string]any{"phone_column": "", "param_max_len": 12}
		for k, v := range noticeManifest {
			m[k] = v
		}
		if f == "excel_gb18030" {
			m["params"] = []any{map[string]any{"column": "姓名"}}
		}
		h.putManifest(f, m)
	}
	reply, err := h.invoke(h.cosEvent("uploads/excel_gb18030.csv", "uploads/bom_crlf.csv"))
	if err != nil || len(reply.Jobs) != 2 {
		t.Fatalf("%+v %v", reply, err)
	}
	want := map[string][]string{
		"excel_gb18030": {"sent", "sent", "sent", "rejected", "rejected"},
		"bom_crlf":      {"sent", "sent", "sent", "rejected"},
	}
	for f, states := range want {
		rows := h.results(f)
		if len(rows) != len(states) {
			t.Fatalf("%s: %d rows %+v", f, len(rows), rows)
		}
		for i, r := range rows {
			if r.State != states[i] {
				t.Errorf("%s row %d: %+v", f, r.Row, r)
			}
		}
	}
	if s := h.summary("excel_gb18030"); s.Encoding != "gb18030" {
		t.Errorf("encoding %q", s.Encoding)
	}
	texts := map[string]string{}
	for _, m := range h.srv.Messages() {
		texts[m.Phone] = m.Text
	}
	for phone, want := range map[string]string{
		"+8613900000101": "您好张三，", "+8613900000201": "您好钱七，", "+8613900000202": `您好孙"八"，`, "+8613900000103": "您好王五，",
	} {
		if !strings.Contains(texts[phone], want) {
			t.Errorf("%s got %q", phone, texts[phone])
		}
	}
}

func TestDeadlinePausesTimerResumes(t *testing.T) {
	// An invocation takes rows for sendFor (at 400/s, well under half the
	// 1500 rows: three runs at least), then has the margin to finish the
	// calls in flight and checkpoint. The margin is production's default:
	// on a loaded machine a small one ends the invocation with rows in
	// flight. A run returns as soon as it has drained, so it costs nothing.
	const sendFor, margin = 1300 * time.Millisecond, 30 * time.Second
	h := newHarness(t, harnessConfig{
		timeout: sendFor + margin,
		faults:  smsapi.Faults{Latency: 10 * time.Millisecond},
		env:     map[string]string{"SMS_QPS": "400", "SEND_SAFETY_MARGIN": margin.String()},
	})
	const n = 1500
	h.put("uploads/long.csv", plainCSV(n))
	h.putManifest("long", noticeManifest)
	reply, err := h.invoke(h.cosEvent("uploads/long.csv"))
	if err != nil || reply.Jobs[0].Status != send.StatusPaused {
		t.Fatalf("first: %+v %v", reply, err)
	}
	if s := h.summary("long"); s.State != send.StatusPaused || s.Rows == 0 {
		t.Fatalf("paused summary %+v", s)
	}
	for i := 0; i < 30; i++ {
		reply, err = h.invoke([]byte(timerEvent))
		if err != nil {
			t.Logf("timer run %d: %v", i, err) // a missed margin is resumed as a crash
			continue
		}
		if len(reply.Jobs) == 1 && reply.Jobs[0].Status == send.StatusDone {
			break
		}
	}
	rows := h.results("long")
	s := h.summary("long")
	if len(rows) != n || s.Sent != n || s.State != send.StatusDone || s.Runs < 3 {
		t.Fatalf("summary %+v", s)
	}
	h.checkOnce(rows)
}

func TestOutsideWindowDeferred(t *testing.T) {
	h := newHarness(t, harnessConfig{})
	h.put("uploads/later.csv", plainCSV(5))
	// A window that excludes the present, whatever the time of day.
	bj := time.Now().In(time.FixedZone("CST", 8*3600))
	start := bj.Add(2 * time.Hour).Truncate(time.Hour)
	end := start.Add(time.Hour)
	m := map[string]any{"send_window": map[string]any{"start": start.Format("15:04"), "end": end.Format("15:04")}}
	if end.Hour() == 0 {
		m["send_window"] = map[string]any{"start": start.Format("15:04"), "end": "24:00"}
	}
	for k, v := range noticeManifest {
		m[k] = v
	}
	h.putManifest("later", m)
	reply, err := h.invoke(h.cosEvent("uploads/later.csv"))
	if err != nil || reply.Jobs[0].Status != send.StatusDeferred {
		t.Fatalf("%+v %v", reply, err)
	}
	s := h.summary("later")
	if s.State != send.StatusDeferred || s.NextAttempt == "" || h.srv.Count() != 0 {
		t.Fatalf("summary %+v", s)
	}
	// The timer leaves it until the window opens.
	reply, err = h.invoke([]byte(timerEvent))
	if err != nil || len(reply.Jobs) != 0 {
		t.Fatalf("timer: %+v %v", reply, err)
	}
}
