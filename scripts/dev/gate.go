package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

var errNotConfirmed = errors.New("the operator did not confirm sending real SMS")

// liveGate asks the operator, once, before the first real SMS goes out. A
// nil gate (sandbox mode) allows everything.
type liveGate struct {
	prompt string
	in     io.Reader
	out    io.Writer
	ask    bool // stdin is a terminal and --yes was not given

	mu      sync.Mutex
	decided bool
	ok      bool
}

func newLiveGate(prompt string, yes bool) *liveGate {
	return &liveGate{
		prompt: prompt,
		in:     os.Stdin,
		out:    os.Stdout,
		ask:    !yes && term.IsTerminal(int(os.Stdin.Fd())),
	}
}

// allowed reports whether sending was confirmed, without asking.
func (g *liveGate) allowed() bool {
	if g == nil {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return !g.ask || g.decided && g.ok
}

// allow asks the operator (once) whether what may send real SMS. A refusal
// is not remembered: the next upload asks again.
func (g *liveGate) allow(ctx context.Context, what string) bool {
	if g == nil || !g.ask {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.decided && g.ok {
		return true
	}
	fmt.Fprintf(g.out, "\n%s\n%s — send real SMS now? Type yes to continue: ", g.prompt, what)
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(g.in).ReadString('\n')
		answer <- strings.TrimSpace(strings.ToLower(line))
	}()
	select {
	case a := <-answer:
		g.ok = a == "yes" || a == "y"
		g.decided = g.ok
		return g.ok
	case <-ctx.Done():
		return false
	}
}
