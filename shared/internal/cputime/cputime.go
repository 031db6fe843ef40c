// Package cputime reads the CPU time of this process, for benchmarks that
// report it per operation: on a shared machine wall time says little, and
// the process's time includes the garbage collector's work on other cores,
// which a function on SCF pays for too.
package cputime

import (
	"testing"
	"time"
)

// Process is the user+system CPU time of this process so far; ok is false
// where the platform does not tell.
func Process() (d time.Duration, ok bool) { return process() }

// PerOp starts measuring; the returned stop reports the CPU time since per
// iteration of b as the metric cpu-µs/op (nothing where the platform does
// not tell). Call stop right after the benchmark loop.
func PerOp(b *testing.B) (stop func()) {
	start, ok := process()
	return func() {
		if end, ok2 := process(); ok && ok2 && b.N > 0 {
			b.ReportMetric(float64((end-start).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
		}
	}
}
