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

var errNotConfirmed = errors.New("操作员没有确认发送真实短信")

// liveGate asks the operator before the first real SMS of each job: it
// shows what the job will send and what it costs, and goes on only on
// "yes". A nil gate (sandbox mode) allows everything.
type liveGate struct {
	prompt string // what every job has in common: account, signature, network warning
	in     io.Reader
	out    io.Writer
	yes    bool // --yes: never ask
	tty    bool // in is a terminal: asking is possible

	mu        sync.Mutex
	confirmed bool // some job was confirmed in this session
	rd        *bufio.Reader
}

func newLiveGate(prompt string, yes bool) *liveGate {
	return &liveGate{prompt: prompt, in: os.Stdin, out: os.Stdout, yes: yes, tty: term.IsTerminal(int(os.Stdin.Fd()))}
}

// allowed reports whether timer invocations may send: after --yes, or once
// a job was confirmed in this session (a resumed job was confirmed when it
// first sent).
func (g *liveGate) allowed() bool {
	if g == nil {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.yes || g.confirmed
}

// allow asks whether the job described by details may send real SMS. Every
// job asks anew; without a terminal to ask on, only --yes sends.
func (g *liveGate) allow(ctx context.Context, details string) bool {
	if g == nil || g.yes {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	fmt.Fprintf(g.out, "\n%s\n%s\n", g.prompt, strings.TrimRight(details, "\n"))
	if !g.tty {
		fmt.Fprintln(g.out, "标准输入不是终端，无法确认：不发送。确认要发送真实短信时请加 --yes 重新运行。")
		return false
	}
	fmt.Fprint(g.out, "输入 yes 发送，其他任何输入取消：")
	if g.rd == nil {
		g.rd = bufio.NewReader(g.in)
	}
	answer := make(chan string, 1)
	go func() {
		line, _ := g.rd.ReadString('\n')
		answer <- strings.TrimSpace(strings.ToLower(line))
	}()
	select {
	case a := <-answer:
		ok := a == "yes" || a == "y"
		if ok {
			g.confirmed = true
		} else {
			fmt.Fprintln(g.out, "已取消：这份上传不发送（重新上传可再次确认）。")
		}
		return ok
	case <-ctx.Done():
		return false
	}
}
