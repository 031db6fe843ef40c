package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/progress"
	"github.com/smsjump/smsjump/scripts/dev/zh"
)

// console is the operator's terminal: whole lines written above a status
// line that rewrites itself (on a terminal only), and event lines stamped
// with the Beijing time. It is an io.Writer, so every Fprintf(e.out, …)
// goes through it without tearing the status line.
type console struct {
	line *progress.Line
	tty  bool

	mu      sync.Mutex
	partial []byte
}

func newConsole(w io.Writer, tty bool) *console {
	return &console{line: progress.New(w, tty, 200*time.Millisecond), tty: tty}
}

// Write prints every complete line of p; a trailing partial line waits for
// its end.
func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.partial = append(c.partial, p...)
	for {
		i := bytes.IndexByte(c.partial, '\n')
		if i < 0 {
			break
		}
		c.line.Print(string(c.partial[:i+1]))
		c.partial = c.partial[i+1:]
	}
	return len(p), nil
}

// event prints text (one or more lines) stamped with t in Beijing time.
func (c *console) event(t time.Time, text string) {
	if text == "" {
		return
	}
	stamp := "[" + zh.Clock(t) + "] "
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if i > 0 {
			lines[i] = strings.Repeat(" ", len(stamp)) + l
		}
	}
	_, _ = c.Write([]byte(stamp + strings.Join(lines, "\n") + "\n"))
}

// status sets the self-rewriting line; "" clears it.
func (c *console) status(text string) {
	if text == "" {
		c.line.Clear()
		return
	}
	c.line.Set(text, false)
}
