package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/check/checktest"
)

// TestCheckCommand runs `check` as an operator does on a generated file:
// 100k rows, or 1,000,000 with SMSJUMP_BENCH=1, where it also reports time
// and peak RSS for the benchmark table.
func TestCheckCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	rows := 100_000
	if os.Getenv("SMSJUMP_BENCH") == "1" {
		rows = 1_000_000
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "big.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	want, err := checktest.Write(f, rows)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, err := os.Stat(csvPath)
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "out")
	cmd := exec.Command(emulatorBinary(t), "check", csvPath, "--manifest", "check/testdata/manifest.json", "--out", out)
	start := time.Now()
	stdout, err := cmd.Output()
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stdout)
	}
	var s struct {
		Rows, Valid, Rejected, Duplicates, Segments int
		ByReason                                    map[string]int `json:"rejected_by_reason"`
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if s.Rows != want.Rows || s.Valid != want.Valid || s.Rejected != want.Rejected() ||
		s.Duplicates != want.Duplicates || s.ByReason["invalid_phone"] != want.Invalid || s.ByReason["param_too_long"] != want.TooLong {
		t.Errorf("summary %+v\nwant %+v", s, want)
	}
	if !strings.Contains(string(stdout), "预计费用") || !strings.Contains(string(stdout), "预计发送耗时") {
		t.Errorf("no summary table:\n%s", stdout)
	}
	report, err := os.Stat(filepath.Join(out, "result.csv"))
	if err != nil || report.Size() == 0 {
		t.Errorf("no report: %v", err)
	}
	if rejects, err := os.ReadFile(filepath.Join(out, "rejects.csv")); err != nil || strings.Count(string(rejects), "\r\n") != want.Rejected()+1 {
		t.Errorf("rejects.csv: %v, %d lines for %d rejected rows", err, strings.Count(string(rejects), "\r\n"), want.Rejected())
	}
	maxRSS := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
	line := fmt.Sprintf("check %d rows (%.1f MB): %s wall, peak RSS %.1f MB", rows, float64(fi.Size())/1e6, elapsed.Round(time.Millisecond), float64(maxRSS)/1024)
	t.Log(line)
	if dir := os.Getenv("SMSJUMP_ARTIFACTS"); dir != "" && rows >= 1_000_000 {
		_ = os.WriteFile(filepath.Join(dir, "bench-check.txt"), []byte(line+"\n"), 0o644)
	}
}
