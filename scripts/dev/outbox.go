package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// linkPattern finds the link in a delivered text: up to white space or the
// CJK punctuation that follows it in a Chinese sentence.
var linkPattern = regexp.MustCompile(`https?://[^\s，。！？；、）】]+`)

// smsSample is how many SMS of each upload are printed in full: enough to
// read the text and open a link, never 100,000 lines for a big job.
const smsSample = 3

// smsHold is how long sampled SMS wait for their job's start line: the
// sandbox tells the emulator at once, the job's log line comes through a
// pipe a little later, and the start should read first.
const smsHold = 300 * time.Millisecond

// smsPrinter prints the first SMS the sandbox accepts after each upload, as
// the recipient's phone would show them, with the link to open in a
// browser; the rest are only counted (the report has them all).
type smsPrinter struct {
	mu      sync.Mutex
	out     io.Writer
	n       int // since the last reset
	pending strings.Builder
	timer   *time.Timer
}

func (p *smsPrinter) print(m smsapi.Message) {
	link := linkPattern.FindString(m.Text)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	switch {
	case p.n <= smsSample:
		fmt.Fprintf(&p.pending, "  短信 %d → %s（计费 %d 条）：%s\n", p.n, phone.Mask(m.Phone), m.Fee, m.Text)
		if link != "" {
			fmt.Fprintf(&p.pending, "      链接：%s\n", link)
		}
	case p.n == smsSample+1:
		p.pending.WriteString("  ……其余短信不再逐条显示，完整列表见报告 result.csv\n")
	default:
		return
	}
	if p.timer == nil {
		p.timer = time.AfterFunc(smsHold, p.flush)
	}
}

// flush prints the held sample now (a job's start line was printed).
func (p *smsPrinter) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if p.pending.Len() > 0 {
		_, _ = io.WriteString(p.out, p.pending.String())
		p.pending.Reset()
	}
}

// reset starts a new sample: a CSV was uploaded.
func (p *smsPrinter) reset() {
	p.flush()
	p.mu.Lock()
	p.n = 0
	p.mu.Unlock()
}
