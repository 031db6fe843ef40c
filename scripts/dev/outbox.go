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

// smsPrinter prints each SMS the sandbox accepts, as the recipient's phone
// would show it, with the link to open in a browser.
type smsPrinter struct {
	mu  sync.Mutex
	out io.Writer
	n   int
}

func (p *smsPrinter) print(m smsapi.Message) {
	link := linkPattern.FindString(m.Text)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	fmt.Fprintf(p.out, "SMS #%d to %s (%d billed): %s\n", p.n, phone.Mask(m.Phone), m.Fee, m.Text)
	if link != "" {
		fmt.Fprintf(p.out, "    link: %s\n", link)
	}
}
