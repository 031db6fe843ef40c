package host

import (
	"bytes"
	"io"
	"sync"
)

// maxLine bounds how much of a line without a newline is buffered: a function
// that writes megabytes without "\n" gets them forwarded in pieces, not hoarded.
const maxLine = 64 << 10

// lineWriter forwards whole lines to w, each preceded by prefix, in a single
// Write so that lines of concurrent instances never interleave mid-line.
// Errors from w are dropped: a broken log sink must never block the function,
// which would otherwise stall writing to a full pipe.
type lineWriter struct {
	mu     sync.Mutex
	prefix []byte
	w      io.Writer
	max    int
	buf    []byte // incomplete last line
	line   []byte // scratch for prefix+line
}

func newLineWriter(prefix string, w io.Writer) *lineWriter {
	return &lineWriter{prefix: []byte(prefix), w: w, max: maxLine}
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			lw.buf = append(lw.buf, p...)
			for len(lw.buf) >= lw.max {
				lw.emit(lw.buf[:lw.max])
				lw.buf = append(lw.buf[:0], lw.buf[lw.max:]...)
			}
			break
		}
		if len(lw.buf) > 0 {
			lw.buf = append(lw.buf, p[:i]...)
			lw.emit(lw.buf)
			lw.buf = lw.buf[:0]
		} else {
			lw.emit(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// Flush forwards a trailing line that has no newline (the process has exited).
func (lw *lineWriter) Flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if len(lw.buf) > 0 {
		lw.emit(lw.buf)
		lw.buf = lw.buf[:0]
	}
}

// emit forwards one line, cut into pieces of at most max bytes.
func (lw *lineWriter) emit(line []byte) {
	for {
		piece := line[:min(len(line), lw.max)]
		lw.line = append(append(append(lw.line[:0], lw.prefix...), piece...), '\n')
		_, _ = lw.w.Write(lw.line)
		line = line[len(piece):]
		if len(line) == 0 {
			return
		}
	}
}

// syncWriter serialises writes of every instance of a pool to one destination;
// Config.Stdout may be a bytes.Buffer or a file shared with Stderr.
type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (s syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// tailBuffer keeps the last size bytes written, for error messages about a
// process that died.
type tailBuffer struct {
	mu   sync.Mutex
	size int
	buf  []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if len(p) >= t.size {
		t.buf = append(t.buf[:0], p[len(p)-t.size:]...)
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.size; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
