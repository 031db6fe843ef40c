package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/jobview"
	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/send"
)

// jobWatch turns send-sms's events and replies into the operator's lines:
// one line per event, the status line while jobs run, and a summary block
// for every job that ends.
type jobWatch struct {
	con     *console
	bucket  *blob.Bucket
	where   string // the bucket directory, for report paths
	sms     *smsPrinter
	printEv bool // print event lines (always, but tests may turn it off)
	now     func() time.Time

	mu      sync.Mutex
	running map[string]bool // by upload name
}

func newJobWatch(con *console, bucket *blob.Bucket, where string, sms *smsPrinter) *jobWatch {
	return &jobWatch{con: con, bucket: bucket, where: where, sms: sms, printEv: true, now: time.Now, running: map[string]bool{}}
}

// event handles one decoded log line of a function.
func (w *jobWatch) event(e jobview.Event) {
	switch e.Kind {
	case jobview.Started:
		w.mu.Lock()
		w.running[e.Name] = true
		w.mu.Unlock()
	case jobview.Deferred, jobview.DeferredLimit, jobview.Suspended, jobview.Finished:
		w.mu.Lock()
		delete(w.running, e.Name)
		empty := len(w.running) == 0
		w.mu.Unlock()
		if empty {
			w.con.status("")
		}
	}
	if e.Kind != jobview.Started && w.sms != nil {
		w.sms.flush() // the SMS came before this event
	}
	if w.printEv {
		t := e.Time
		if t.IsZero() {
			t = w.now()
		}
		w.con.event(t, e.Text())
	}
	if e.Kind == jobview.Started && w.sms != nil {
		w.sms.flush() // the sample held for this start
	}
}

// reply handles what a send-sms invocation returned: every job that ended
// gets its summary block.
func (w *jobWatch) reply(ctx context.Context, payload []byte) {
	if w.sms != nil {
		w.sms.flush()
	}
	var r send.Reply
	if json.Unmarshal(payload, &r) != nil {
		return
	}
	for _, o := range r.Jobs {
		if o.JobID == "" || !o.Status.Final() || o.Note != "" {
			continue
		}
		w.summary(ctx, strings.TrimSuffix(filepath.Base(o.Key), ".csv"))
	}
}

// summary prints the block of a job from its report.
func (w *jobWatch) summary(ctx context.Context, name string) {
	rep, err := jobview.Read(ctx, w.bucket, name)
	if err != nil {
		fmt.Fprintf(w.con, "  %s 的报告读取失败：%v\n", name, err)
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "── %s 汇总 ──\n", name)
	lines := jobview.Lines(rep, w.now())
	lines = append(lines, zh.Line{Label: "报告", Value: filepath.Join(w.where, filepath.FromSlash(rep.ResultKey()))})
	_ = zh.WriteLines(&b, "  ", lines)
	_, _ = w.con.Write(b.Bytes())
}

// progressEvery is how often a running job's progress becomes a line of
// its own when the output is not a terminal (a log, a CI job): there is no
// line to redraw, and a long job must still show it is alive.
const progressEvery = 30 * time.Second

// poll redraws the status line every second while jobs run; off a
// terminal it prints the progress as an event line every progressEvery.
func (w *jobWatch) poll(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		w.tick(ctx, &last)
	}
}

// tick shows the progress of the running jobs once; *last is when it last
// printed progress lines off a terminal.
func (w *jobWatch) tick(ctx context.Context, last *time.Time) {
	w.mu.Lock()
	names := make([]string, 0, len(w.running))
	for n := range w.running {
		names = append(names, n)
	}
	w.mu.Unlock()
	if len(names) == 0 {
		return
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		rep, err := jobview.Read(ctx, w.bucket, n)
		if err != nil || rep.Progress == nil {
			parts = append(parts, n+" 发送中…")
			continue
		}
		parts = append(parts, progressText(n, rep.Progress))
	}
	if w.con.tty {
		w.con.status(strings.Join(parts, "  |  "))
		return
	}
	if now := w.now(); now.Sub(*last) >= progressEvery {
		*last = now
		for _, p := range parts {
			w.con.event(now, "… "+p)
		}
	}
}

// progressText is one job on the status line.
func progressText(name string, p *send.Progress) string {
	s := fmt.Sprintf("%s 已处理 %s 行，已发送 %s", name, zh.Count(p.Processed), zh.Count(p.Sent))
	if p.BytesTotal > 0 {
		s += fmt.Sprintf("（%d%%）", p.BytesRead*100/p.BytesTotal)
	}
	if p.Rate > 0 {
		s += fmt.Sprintf("，%s 条/秒", zh.Count(int(p.Rate+0.5)))
	}
	if p.ETASeconds > 0 {
		s += "，剩余约 " + zh.Duration(time.Duration(p.ETASeconds*float64(time.Second)))
	}
	return s
}
