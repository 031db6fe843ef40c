package logging

import (
	"context"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"
)

// Site is one call site of a hot log line. Its LogAttrs is l.LogAttrs
// except that the caller's program counter (the record's source) is found
// once rather than by runtime.Callers on every line, which cost a twentieth
// of a warm get-scheme hit. Use a Site from one place in the code only: a
// second caller would be reported at the first one's line.
type Site struct{ pc atomic.Uintptr }

// LogAttrs logs like l.LogAttrs(ctx, level, msg, attrs...).
func (s *Site) LogAttrs(ctx context.Context, l *slog.Logger, level slog.Level, msg string, attrs ...slog.Attr) {
	if ctx == nil {
		ctx = context.Background()
	}
	h := l.Handler()
	if !h.Enabled(ctx, level) {
		return
	}
	pc := s.pc.Load()
	if pc == 0 {
		var pcs [1]uintptr
		runtime.Callers(2, pcs[:]) // skip runtime.Callers and this method
		pc = pcs[0]
		s.pc.Store(pc)
	}
	r := slog.NewRecord(time.Now(), level, msg, pc)
	r.AddAttrs(attrs...)
	_ = h.Handle(ctx, r)
}
