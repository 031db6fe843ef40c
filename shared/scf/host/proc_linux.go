//go:build linux

package host

import (
	"errors"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr puts the function in its own process group, so a timeout or Close
// kills whatever it spawned too, and kills it if the host dies first. (Pdeathsig
// fires when the forking OS thread ends; Go only ends threads whose goroutine
// exits while locked with runtime.LockOSThread, so do not start pools from such.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// awaitExit blocks until pid has exited without reaping it. While the leader is
// an unreaped zombie its pid, and so its process group id, cannot be reused;
// that makes the group kill that follows safe against hitting a stranger.
func awaitExit(pid int) bool {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return err == nil
		}
	}
}

// killGroup sends SIGKILL to the process group led by pid.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// fionread asks how many bytes a pipe holds (FIONREAD is TIOCINQ here).
const fionread = unix.TIOCINQ
