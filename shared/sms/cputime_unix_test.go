//go:build unix

package sms

import (
	"syscall"
	"time"
)

// processCPU is the user+system CPU time of this process so far: benchmarks
// report it per operation because wall time on a shared machine says little.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
