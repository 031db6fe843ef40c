package setup

import (
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

func TestLimitMemory(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	prevMB, prevLimit := functioncontext.MemoryLimitInMB, debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		functioncontext.MemoryLimitInMB = prevMB
		debug.SetMemoryLimit(prevLimit)
	})
	t.Setenv("GOMEMLIMIT", "")

	functioncontext.MemoryLimitInMB = 128
	if got, want := LimitMemory(log), int64(96<<20); got != want || debug.SetMemoryLimit(-1) != want {
		t.Fatalf("128 MB function: limit %d (runtime %d), want %d", got, debug.SetMemoryLimit(-1), want)
	}
	functioncontext.MemoryLimitInMB = 0
	if got := LimitMemory(log); got != 0 {
		t.Fatalf("outside SCF: limit %d, want none", got)
	}
	functioncontext.MemoryLimitInMB = 256
	t.Setenv("GOMEMLIMIT", "200MiB")
	if got := LimitMemory(log); got != 0 {
		t.Fatalf("GOMEMLIMIT set: limit %d, want it left alone", got)
	}
}
