//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// procInfo is what /proc/<pid>/stat says about a process.
type procInfo struct {
	pid, ppid int
	state     string
	start     string // start time in clock ticks since boot: tells pid reuse apart
}

func readProc(pid int) (procInfo, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, false
	}
	// The command name is in parentheses and may hold spaces: parse after the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(f[1])
	return procInfo{pid: pid, ppid: ppid, state: f[0], start: f[19]}, true
}

func allProcs() []procInfo {
	entries, _ := os.ReadDir("/proc")
	var out []procInfo
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if p, ok := readProc(pid); ok {
			out = append(out, p)
		}
	}
	return out
}

// descendants lists the processes whose parent chain includes root.
func descendants(root int) []procInfo {
	procs := allProcs()
	parent := map[int]int{}
	for _, p := range procs {
		parent[p.pid] = p.ppid
	}
	var out []procInfo
	for _, p := range procs {
		for a := p.ppid; a > 1; a = parent[a] {
			if a == root {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// alive reports whether p still runs (the same process, not a zombie).
func alive(p procInfo) bool {
	now, ok := readProc(p.pid)
	return ok && now.start == p.start && now.state != "Z"
}

// runningFrom lists live processes whose executable lies under dir.
func runningFrom(dir string) []int {
	var out []int
	for _, p := range allProcs() {
		exe, err := os.Readlink("/proc/" + strconv.Itoa(p.pid) + "/exe")
		if err == nil && p.state != "Z" && strings.HasPrefix(exe, filepath.Clean(dir)+"/") {
			out = append(out, p.pid)
		}
	}
	return out
}
