package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/jobview"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/send"
)

// TestTerminalGolden replays a session's function output (log lines as the
// host forwards them, SMS the sandbox accepts, an invocation's reply) and
// compares what the operator reads, Beijing time pinned, byte for byte: an
// event line per job event in order, a sample of the SMS, the summary block
// of a finished job, a failure with its fix, a deferral with when it goes on,
// and raw lines only for what is not a log line.
func TestTerminalGolden(t *testing.T) {
	ctx := context.Background()
	b, _ := tempBucket(t)
	summary, err := os.ReadFile("testdata/status/done.summary.json")
	if err != nil {
		t.Fatal(err)
	}
	putBlob(t, b, "reports/demo/summary.json", summary)

	var out, logFile bytes.Buffer
	con := newConsole(&out, false)
	sms := &smsPrinter{out: con}
	watch := newJobWatch(con, b, "/work/.smsjump/bucket", sms)
	watch.now = func() time.Time { return time.Date(2026, 3, 2, 2, 1, 9, 0, time.UTC) }
	sink := &logSink{file: &logFile, con: con, onEvent: watch.event}

	f, err := os.Open("testdata/terminal/events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	lines := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "SMS "):
			phone, text, _ := strings.Cut(strings.TrimPrefix(line, "SMS "), " ")
			sms.print(smsapi.Message{Phone: phone, Text: text, Fee: 1})
		case strings.HasPrefix(line, "REPLY "):
			watch.reply(ctx, []byte(strings.TrimPrefix(line, "REPLY ")))
		default:
			lines++
			if _, err := sink.Write([]byte(line + "\n")); err != nil {
				t.Fatal(err)
			}
		}
	}
	golden(t, filepath.Join("terminal", "session.golden"), out.Bytes())
	if n := strings.Count(logFile.String(), "\n"); n != lines {
		t.Errorf("log file has %d lines, want every one of the %d forwarded", n, lines)
	}
	for _, secret := range []string{"13800138000", "13912345678"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("terminal shows the full number %s", secret)
		}
	}
}

func TestProgressText(t *testing.T) {
	p := &send.Progress{Processed: 612345, Sent: 608000, Rate: 2941.6, BytesRead: 12e6, BytesTotal: 20e6, ETASeconds: 64.5}
	want := "big 已处理 612,345 行，已发送 608,000（60%），2,942 条/秒，剩余约 1 分 5 秒"
	if got := progressText("big", p); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestProgressWhileRunning: a running job's progress rewrites one line on a
// terminal, and off a terminal becomes a stamped line every progressEvery.
func TestProgressWhileRunning(t *testing.T) {
	ctx := context.Background()
	b, _ := tempBucket(t)
	progress, err := os.ReadFile("testdata/status/running.progress.json")
	if err != nil {
		t.Fatal(err)
	}
	putBlob(t, b, "reports/big/progress.json", progress)
	started, _ := jobview.ParseLog([]byte(`{"time":"2026-03-02T01:00:00Z","level":"INFO","msg":"send-sms: job started","key":"uploads/big.csv","campaign":"big","runs":1,"watermark":0}`))
	const line = "big 已处理 612,345 行，已发送 608,000（60%），2,942 条/秒，剩余约 1 分 5 秒"
	for _, tty := range []bool{true, false} {
		var out bytes.Buffer
		w := newJobWatch(newConsole(&out, tty), b, "", nil)
		w.printEv = false
		now := time.Date(2026, 3, 2, 1, 18, 10, 0, time.UTC)
		w.now = func() time.Time { return now }
		w.event(started)
		var last time.Time
		w.tick(ctx, &last)
		now = now.Add(time.Second)
		w.tick(ctx, &last) // within progressEvery: off a terminal, nothing new
		if tty {
			// Redrawn in place (twice if the machine was slow), never a new line.
			if !strings.HasPrefix(out.String(), "\r"+line) || strings.Contains(out.String(), "\n") {
				t.Errorf("terminal: got %q, want %q redrawn in place", out.String(), line)
			}
			continue
		}
		if want := "[09:18:10] … " + line + "\n"; out.String() != want {
			t.Errorf("off a terminal: got %q, want %q", out.String(), want)
		}
	}
}

// TestLogJSON: with --log json every forwarded line reaches stderr as it
// came, and the log file keeps them all too.
func TestLogJSON(t *testing.T) {
	in := "[send-sms#1] {\"time\":\"2026-03-02T02:01:08Z\",\"level\":\"INFO\",\"msg\":\"send-sms: job started\",\"key\":\"uploads/demo.csv\",\"campaign\":\"demo\",\"runs\":1,\"watermark\":0}\n" +
		"[send-sms#1] {\"time\":\"2026-03-02T02:01:08Z\",\"level\":\"INFO\",\"msg\":\"send-sms: not an upload, ignored\",\"key\":\"uploads/x.txt\"}\n" +
		"[send-sms#1] goroutine 1 [running]:\n"
	var out, raw, file bytes.Buffer
	con := newConsole(&out, false)
	w := newJobWatch(con, nil, "", nil)
	s := &logSink{file: &file, raw: &raw, con: con, onEvent: w.event}
	for _, l := range strings.SplitAfter(in, "\n") {
		if l != "" {
			_, _ = s.Write([]byte(l))
		}
	}
	if raw.String() != in || file.String() != in {
		t.Errorf("raw %q\nfile %q\nwant both %q", raw.String(), file.String(), in)
	}
	if want := "[10:01:08] ▶ demo 开始发送\n"; out.String() != want {
		t.Errorf("terminal %q, want only the event line %q", out.String(), want)
	}
}
