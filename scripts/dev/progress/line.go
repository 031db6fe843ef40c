// Package progress draws the one line that rewrites itself on a terminal
// while something long runs (check on a big file, a sending job), and
// stays silent when the output is a file or a pipe, so logs never fill up
// with frames.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
)

// Line is a status line redrawn in place with \r. Print writes ordinary
// lines above it without tearing it. Safe for concurrent use.
type Line struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	shown int // display width of the line on screen, 0 when none
	every time.Duration
	last  time.Time
	now   func() time.Time
}

// New returns a line on w; tty says whether w is a terminal (otherwise Set
// draws nothing). every limits redraws.
func New(w io.Writer, tty bool, every time.Duration) *Line {
	return &Line{w: w, tty: tty, every: every, now: time.Now}
}

// Set redraws the line with text, at most once per interval unless force.
func (l *Line) Set(text string, force bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.tty {
		return
	}
	now := l.now()
	if !force && now.Sub(l.last) < l.every {
		return
	}
	l.last = now
	pad := ""
	if w := zh.Width(text); w < l.shown {
		pad = strings.Repeat(" ", l.shown-w)
	}
	fmt.Fprintf(l.w, "\r%s%s", text, pad)
	l.shown = zh.Width(text) + len(pad)
}

// Print writes a whole line above the status line, which is drawn again on
// the next Set.
func (l *Line) Print(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clearLocked()
	io.WriteString(l.w, s)
	if !strings.HasSuffix(s, "\n") {
		io.WriteString(l.w, "\n")
	}
}

// Clear removes the status line.
func (l *Line) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clearLocked()
}

func (l *Line) clearLocked() {
	if l.shown > 0 {
		fmt.Fprintf(l.w, "\r%s\r", strings.Repeat(" ", l.shown))
		l.shown = 0
		l.last = time.Time{}
	}
}

// Rate is a throughput that says nothing until it has something to say: a
// rate measured over the first milliseconds is noise (a first frame of
// "26 GB/s"), so it is empty before minElapsed.
func Rate(done float64, elapsed, minElapsed time.Duration) (perSecond float64, ok bool) {
	if elapsed < minElapsed || elapsed <= 0 {
		return 0, false
	}
	return done / elapsed.Seconds(), true
}
