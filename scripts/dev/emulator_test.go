//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/report"
)

var (
	smsLine  = regexp.MustCompile(`^  短信 \d+ → (\S+)（计费`)
	linkLine = regexp.MustCompile(`^\s+链接：(http://\S+)$`)
	moreLine = regexp.MustCompile(`^  ……其余短信不再逐条显示`)
)

// TestEmulator runs the emulator once from a clean directory with --demo and
// checks, in order: the demo campaign goes out to the sandbox, a printed link
// opened in Chromium reaches the weixin:// scheme, a CSV dropped while it
// runs fires exactly once, and SIGINT leaves no process behind.
func TestEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator")
	}
	for _, fn := range []string{fnGetScheme, fnSendSMS, fnTokenRefresh} {
		if _, err := os.Stat(filepath.Join("..", "..", "functions", fn, "main.go")); err != nil {
			t.Fatalf("functions/%s is missing: the emulator test needs all three functions", fn)
		}
	}
	p := startEmulator(t, "--demo")
	if _, err := os.Stat(filepath.Join(p.dir, ".smsjump", "store.db")); err != nil {
		t.Errorf("store not created under the default --dir: %v", err)
	}

	t.Run("demo campaign sent", func(t *testing.T) {
		p.waitFor(t, regexp.MustCompile(`^报告：`), 1, 3*time.Minute)
		// 16 SMS go out; the terminal shows a sample, then says so.
		sms := p.matches(smsLine)
		if len(sms) != smsSample || len(p.matches(moreLine)) != 1 {
			t.Errorf("%d SMS printed and %d 'more' lines, want a sample of %d and one", len(sms), len(p.matches(moreLine)), smsSample)
		}
		// Events in order, then the job's summary block.
		out := p.output()
		started := strings.Index(out, "▶ demo 开始发送")
		done := strings.Index(out, "✔ demo 已完成")
		block := strings.Index(out, "── demo 汇总 ──")
		if started < 0 || done < started || block < done {
			t.Errorf("want start, finish and summary in that order (at %d, %d, %d):\n%s", started, done, block, out)
		}
		for _, m := range sms {
			if !regexp.MustCompile(`^\d{3}\*{4}\d{4}$`).MatchString(m[1]) {
				t.Errorf("phone not masked: %q", m[1])
			}
		}
		var sum struct {
			State string `json:"state"`
			Rows  int    `json:"rows"`
			Sent  int    `json:"sent"`
		}
		b, err := os.ReadFile(filepath.Join(p.dir, ".smsjump", "bucket", "reports", "demo", "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &sum); err != nil {
			t.Fatal(err)
		}
		if sum.State != "done" || sum.Rows != 20 || sum.Sent != 16 {
			t.Errorf("summary %+v, want done, 20 rows, 16 sent", sum)
		}
	})

	t.Run("demo funnel adds up", func(t *testing.T) {
		p.waitFor(t, regexp.MustCompile(`^活动报告：`), 1, time.Minute)
		b, err := os.ReadFile(filepath.Join(p.dir, ".smsjump", "bucket", "reports", "demo", "latest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var l struct{ Report string }
		if err := json.Unmarshal(b, &l); err != nil {
			t.Fatal(err)
		}
		var fn report.Funnel
		b, err = os.ReadFile(filepath.Join(p.dir, ".smsjump", "bucket", filepath.FromSlash(l.Report), "funnel.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &fn); err != nil {
			t.Fatal(err)
		}
		// Receipts came by the status callback through get-scheme.
		if fn.Sent != 16 || fn.Delivered+fn.DeliveryFailed+fn.NotReported != fn.Sent || fn.Delivered == 0 ||
			fn.Receipts.Matched != fn.Delivered+fn.DeliveryFailed || fn.Opened < fn.Jumped {
			t.Errorf("demo funnel does not add up: %+v", fn)
		}
		if _, err := os.Stat(filepath.Join(p.dir, ".smsjump", "bucket", filepath.FromSlash(l.Report), "report.html")); err != nil {
			t.Errorf("no report.html: %v", err)
		}
		if !strings.Contains(p.output(), "已送达") {
			t.Error("the funnel table was not printed")
		}
	})

	t.Run("printed link opens the scheme in Chromium", func(t *testing.T) {
		links := p.matches(linkLine)
		if len(links) == 0 {
			t.Fatal("no link printed")
		}
		link := links[0][1]
		if !strings.HasPrefix(link, fmt.Sprintf("http://127.0.0.1:%d/?c=demo", p.port)) {
			t.Fatalf("link %s is not on the emulator", link)
		}
		scheme := openUntilScheme(t, link)
		if !strings.HasPrefix(scheme, "weixin://dl/business/?t=") {
			t.Errorf("navigated to %q, want an encrypted scheme", scheme)
		}
	})

	t.Run("dropped CSV fires exactly once", func(t *testing.T) {
		uploads := filepath.Join(p.dir, ".smsjump", "bucket", "uploads")
		before := len(p.matches(smsLine))
		// A template and signature the sandbox had not approved at start-up:
		// the emulator approves what is uploaded, as the operator would have.
		late := strings.NewReplacer(`"campaign_id": "demo"`, `"campaign_id": "late"`, `?c=demo`, `?c=late`,
			`"template_id": "100002"`, `"template_id": "100777"`, `短信跳转示例`, `晚到签名`).
			Replace(string(demoManifestFor(fmt.Sprintf("http://127.0.0.1:%d/", p.port))))
		if !strings.Contains(late, "100777") || !strings.Contains(late, "晚到签名") || !strings.Contains(late, "?c=late") {
			t.Fatalf("demo manifest changed shape: %s", late)
		}
		if err := writeAtomic(filepath.Join(uploads, "late.json"), []byte(late)); err != nil {
			t.Fatal(err)
		}
		// Written in pieces, as a slow copy would, none of them a full file.
		f, err := os.Create(filepath.Join(uploads, "late.csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows := []string{"phone,name\n", "13700001001,甲\n", "13700001002,乙\n", "13700001003,丙\n"}
		for _, r := range rows {
			if _, err := io.WriteString(f, r); err != nil {
				t.Fatal(err)
			}
			time.Sleep(quietPeriod / 4)
		}
		f.Close()
		p.waitFor(t, regexp.MustCompile(`^上传 uploads/late\.csv`), 1, time.Minute)
		p.waitFor(t, regexp.MustCompile(`^── late 汇总 ──`), 1, time.Minute)
		time.Sleep(4 * quietPeriod) // room for a wrong second event
		if n := len(p.matches(regexp.MustCompile(`^上传 uploads/late\.csv`))); n != 1 {
			t.Errorf("late.csv fired %d times", n)
		}
		if n := len(p.matches(smsLine)); n != before+3 {
			t.Errorf("%d SMS after the drop, want %d", n-before, 3)
		}
	})

	t.Run("SIGINT leaves no child process", func(t *testing.T) {
		// Make sure get-scheme runs too (the other two ran above).
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/api/scheme?c=demo", p.port))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		kids := descendants(p.cmd.Process.Pid)
		if len(kids) < 3 {
			t.Fatalf("%d child processes while running, want the three functions at least: %+v", len(kids), kids)
		}
		p.stop(t)
		if p.waitErr != nil {
			t.Errorf("emulator exit: %v", p.waitErr)
		}
		if !strings.Contains(p.output(), "已停止") {
			t.Error("no shutdown message")
		}
		for _, k := range kids {
			if alive(k) {
				t.Errorf("process %d (child of the emulator) still runs", k.pid)
			}
		}
		if left := runningFrom(p.dir); len(left) > 0 {
			t.Errorf("processes still run from %s: %v", p.dir, left)
		}
	})
}
