package main

import (
	"fmt"
	"io"
	"regexp"
	"sync"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// linkPattern finds the link in a delivered text: up to white space or the
// CJK punctuation that follows it in a Chinese sentence.
var linkPattern = regexp.MustCompile(`https?://[^\s，。！？；、）】]+`)

// smsSample is how many SMS of each job are printed in full: enough to read
// the text and open a link, never 100,000 lines for a big job.
const smsSample = 3

// smsPrinter prints the first SMS the sandbox accepts after each job start,
// as the recipient's phone would show them, with the link to open in a
// browser; the rest are only counted (the report has them all).
type smsPrinter struct {
	mu  sync.Mutex
	out io.Writer
	n   int // since the last reset
}

func (p *smsPrinter) print(m smsapi.Message) {
	link := linkPattern.FindString(m.Text)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	switch {
	case p.n <= smsSample:
		fmt.Fprintf(p.out, "  短信 %d → %s（计费 %d 条）：%s\n", p.n, phone.Mask(m.Phone), m.Fee, m.Text)
		if link != "" {
			fmt.Fprintf(p.out, "      链接：%s\n", link)
		}
	case p.n == smsSample+1:
		fmt.Fprintf(p.out, "  ……其余短信不再逐条显示，完整列表见报告 result.csv\n")
	}
}

// reset starts a new sample: a job started.
func (p *smsPrinter) reset() {
	p.mu.Lock()
	p.n = 0
	p.mu.Unlock()
}
