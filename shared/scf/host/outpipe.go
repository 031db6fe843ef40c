//go:build unix

package host

import (
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// outPipe carries one output stream of a function process to its
// lineWriter. exec.Cmd would copy the stream in its own goroutine, which
// may still hold lines the function wrote before it answered when the host
// already has the answer; the emulator then printed a job's summary before
// its last events. Here every read from the pipe and the forwarding of what
// it read happen under one lock, so drain can tell "nothing unforwarded"
// (the pipe is empty while it holds the lock) and answers come after the
// output that preceded them.
type outPipe struct {
	r   *os.File
	rc  syscall.RawConn
	dst io.Writer

	mu  sync.Mutex
	buf []byte
	eof bool

	done chan struct{} // closed when the copy loop has ended
}

// newOutPipe returns the pipe and the write end to give the process; the
// caller closes that end once the process has started.
func newOutPipe(dst io.Writer) (*outPipe, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		w.Close()
		return nil, nil, err
	}
	return &outPipe{r: r, rc: rc, dst: dst, buf: make([]byte, 32<<10), done: make(chan struct{})}, w, nil
}

// copy forwards the stream until every write end is closed (or close).
func (p *outPipe) copy() {
	defer close(p.done)
	for {
		var stop bool
		err := p.rc.Read(func(fd uintptr) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			n, err := p.readLocked(int(fd))
			switch {
			case errors.Is(err, syscall.EAGAIN):
				return false // wait until readable
			case errors.Is(err, syscall.EINTR):
			case err != nil || n == 0:
				stop = true
			}
			return true
		})
		if err != nil || stop {
			return
		}
	}
}

// readLocked reads once and forwards what it got.
func (p *outPipe) readLocked(fd int) (int, error) {
	if p.eof {
		return 0, nil
	}
	n, err := syscall.Read(fd, p.buf)
	if n > 0 {
		_, _ = p.dst.Write(p.buf[:n])
	}
	if n == 0 && err == nil {
		p.eof = true
	}
	return max(n, 0), err
}

// drain forwards everything written to the pipe so far. It returns once the
// pipe is empty while the lock is held, or after a bounded number of reads
// when a writer keeps filling it.
func (p *outPipe) drain() {
	_ = p.rc.Control(func(fd uintptr) {
		p.mu.Lock()
		defer p.mu.Unlock()
		for range 64 {
			n, err := unix.IoctlGetInt(int(fd), fionread)
			if err != nil || n == 0 || p.eof {
				return
			}
			if _, err := p.readLocked(int(fd)); err != nil && !errors.Is(err, syscall.EINTR) {
				return
			}
		}
	})
}

// wait lets the copy loop reach the end of the stream, then closes the
// read end. A descendant that escaped the process group may hold the write
// end open; after grace the stream is cut (as exec.Cmd's WaitDelay did).
func (p *outPipe) wait(grace time.Duration) {
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.r.SetReadDeadline(time.Now())
		<-p.done
	}
	_ = p.r.Close()
}
