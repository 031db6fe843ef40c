package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/send"
)

// The campaign benchmarks run the built function against the sandbox at
// the account's default 3000 requests/s with 30 ms latency and report what
// the process doing the job used: wall time, peak RSS (VmHWM) and CPU per
// SendSms call. They take minutes, so they run only with SMSJUMP_BENCH=1
// (scripts/bench.sh); each prints one table row.

func benchGate(b *testing.B) {
	if os.Getenv("SMSJUMP_BENCH") != "1" {
		b.Skip("set SMSJUMP_BENCH=1 to run the campaign benchmarks")
	}
}

// procStats reads peak RSS (kB) and CPU time of a process from /proc.
func procStats(b *testing.B, pid int) (hwmKB int, cpu time.Duration) {
	st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(st), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			hwmKB, _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	raw, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name (which may hold spaces) start at ")".
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	const clkTck = 100 // USER_HZ on Linux
	return hwmKB, time.Duration(utime+stime) * time.Second / clkTck
}

// perfRecord samples the function process with Linux perf (call graphs
// through Go's frame pointers) into SMSJUMP_BENCH_PERF while the campaign
// runs, so that a profile shows the function's CPU, GC included, without
// any profiling code in the function. The returned func stops it.
func perfRecord(b *testing.B, pid int) func() {
	out := os.Getenv("SMSJUMP_BENCH_PERF")
	if out == "" {
		return func() {}
	}
	cmd := exec.Command("perf", "record", "-q", "-g", "-F", "1999", "-p", strconv.Itoa(pid), "-o", out)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatalf("perf record: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // perf attaches before the job starts
	return func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}
}

func runCampaignBench(b *testing.B, label string, csv []byte, manifest map[string]any) {
	runCampaignBenchWith(b, label, csv, manifest, nil, nil)
}

// runCampaignBenchWith is runCampaignBench with extra environment for the
// function and a preparation step before the upload (lists in the store).
func runCampaignBenchWith(b *testing.B, label string, csv []byte, manifest map[string]any, env map[string]string, prepare func(*harness)) {
	benchGate(b)
	if d := os.Getenv("SMSJUMP_BENCH_GODEBUG"); d != "" {
		// e.g. gctrace=1, shown with SEND_TEST_LOGS=1.
		env = maps.Clone(env)
		if env == nil {
			env = map[string]string{}
		}
		env["GODEBUG"] = d
	}
	for range b.N {
		h := newHarness(b, harnessConfig{
			noKeep: true, timeout: 900 * time.Second,
			faults: smsapi.Faults{Latency: 30 * time.Millisecond},
			env:    env,
		})
		if prepare != nil {
			prepare(h)
		}
		h.put("uploads/bench.csv", csv)
		h.putManifest("bench", manifest)
		// Warm the instance so its pid is known and the cold start is not counted.
		if _, err := h.invoke([]byte(timerEvent)); err != nil {
			b.Fatal(err)
		}
		pids := functionPIDs(binary(b))
		if len(pids) != 1 {
			b.Fatalf("function processes %v", pids)
		}
		_, cpu0 := procStats(b, pids[0])
		stopProfile := perfRecord(b, pids[0])
		start := time.Now()
		reply, err := h.invoke(h.cosEvent("uploads/bench.csv"))
		wall := time.Since(start)
		stopProfile()
		if err != nil || reply.Jobs[0].Status != send.StatusDone {
			b.Fatalf("%+v %v", reply, err)
		}
		hwm, cpu1 := procStats(b, pids[0])
		s := h.summary("bench")
		calls := h.srv.Stats().Requests
		rate := float64(calls) / wall.Seconds()
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric((cpu1 - cpu0).Seconds(), "cpu-s")
		b.ReportMetric(float64(hwm)/1024, "peak-RSS-MB")
		b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(calls), "cpu-µs/call")
		b.ReportMetric(rate/3000*100, "%-of-cap")
		fmt.Printf("| %s | %d | %d | %d | %.1f s | %.0f calls/s (%.1f %% of 3000) | %.0f µs | %.1f MB |\n",
			label, s.Rows, s.Sent, calls, wall.Seconds(), rate, rate/30, float64((cpu1-cpu0).Microseconds())/float64(calls), float64(hwm)/1024)
	}
}

func BenchmarkMillionIdenticalParams(b *testing.B) {
	var csv bytes.Buffer
	csv.WriteString("phone\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&csv, "13%09d\n", i)
	}
	runCampaignBench(b, "1,000,000 identical params", csv.Bytes(), map[string]any{
		"campaign_id": "spring", "sms_type": "notification", "target": map[string]any{"path": "pages/index/index"},
		"params": []any{map[string]any{"const": "朋友"}},
	})
}

func BenchmarkHundredThousandPersonal(b *testing.B) {
	var csv bytes.Buffer
	csv.WriteString("phone,name\n")
	for i := range 100_000 {
		fmt.Fprintf(&csv, "13%09d,用户%d\n", i, i)
	}
	runCampaignBench(b, "100,000 personalised", csv.Bytes(), noticeManifest)
}

// BenchmarkCampaignMemory is peak RSS against campaign size (identical
// parameters, 12-byte rows): the curve should stay flat, the duplicate set
// (about 5 bytes a number) being the only part that grows.
func BenchmarkCampaignMemory(b *testing.B) {
	benchGate(b)
	for _, n := range []int{10_000, 100_000, 1_000_000, 5_000_000, 10_000_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			var csv bytes.Buffer
			csv.Grow(6 + 12*n)
			csv.WriteString("phone\n")
			for i := range n {
				// 13x, 15x and 18x: every row a valid, distinct mobile number.
				fmt.Fprintf(&csv, "1%c%09d\n", "358"[i%3], i)
			}
			runCampaignBench(b, fmt.Sprintf("%d identical params", n), csv.Bytes(), map[string]any{
				"campaign_id": "spring", "sms_type": "notification", "target": map[string]any{"path": "pages/index/index"},
				"params": []any{map[string]any{"const": "朋友"}},
			})
		})
	}
}
