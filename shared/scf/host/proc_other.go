//go:build unix && !linux

package host

import "syscall"

// sysProcAttr puts the function in its own process group, so a timeout or Close
// kills whatever it spawned too.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// awaitExit cannot wait without reaping here; children left behind by a
// function that exits on its own are not cleaned up on these systems.
func awaitExit(int) bool { return false }

// killGroup sends SIGKILL to the process group led by pid.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// fionread asks how many bytes a pipe holds: _IOR('f', 127, int) on macOS
// and the BSDs. Where it means something else the ioctl fails and drain
// gives no ordering promise.
const fionread = 0x4004667f
