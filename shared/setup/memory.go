package setup

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// heapShare is the part of the function's memory the Go heap may use
// before the collector works harder; the rest is for stacks, the binary and
// buffers outside the heap.
const heapShare = 0.75

// LimitMemory sizes the Go heap to the function's configured memory (SCF
// passes it as FUNCTION_MEMORY_SIZE), so a job that allocates fast collects
// before the instance is killed for exceeding its memory. GOMEMLIMIT, when
// set, wins. It returns the limit applied in bytes, 0 if none.
func LimitMemory(log *slog.Logger) int64 {
	if os.Getenv("GOMEMLIMIT") != "" || functioncontext.MemoryLimitInMB <= 0 {
		return 0
	}
	limit := int64(float64(functioncontext.MemoryLimitInMB) * heapShare * (1 << 20))
	debug.SetMemoryLimit(limit)
	log.Debug("Go memory limit set", "function_memory_mb", functioncontext.MemoryLimitInMB, "limit_mb", limit>>20)
	return limit
}
