//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestScheduledCampaign: a manifest with start_at 20 s ahead (room for a
// loaded CI machine to finish the check first) is checked at upload
// (precheck.json and rejects.csv before any SMS), and the resume timer
// (every 2 s here, --resume-every) starts it on time.
func TestScheduledCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the emulator")
	}
	p := startEmulator(t, "--resume-every", "2s", "--no-page")
	defer p.stop(t)
	p.waitFor(t, regexp.MustCompile(`^监视 `), 1, 3*time.Minute)

	bucket := filepath.Join(p.dir, ".smsjump", "bucket")
	startAt := time.Now().Add(20 * time.Second).In(scfZone).Truncate(time.Second)
	m := strings.NewReplacer(`"campaign_id": "demo"`, `"campaign_id": "sched"`, `?c=demo`, `?c=sched`,
		`"param_max_len": 6`, fmt.Sprintf(`"param_max_len": 6, "start_at": %q`, startAt.Format("2006-01-02 15:04:05"))).
		Replace(string(demoManifestFor(fmt.Sprintf("http://127.0.0.1:%d/", p.port))))
	if !strings.Contains(m, "start_at") || !strings.Contains(m, "?c=sched") {
		t.Fatalf("demo manifest changed shape: %s", m)
	}
	if err := writeAtomic(filepath.Join(bucket, "uploads", "sched.json"), []byte(m)); err != nil {
		t.Fatal(err)
	}
	csv := "phone,name\n13700002001,甲\n12345,坏号\n13700002002,乙\n13700002003,丙\n"
	if err := writeAtomic(filepath.Join(bucket, "uploads", "sched.csv"), []byte(csv)); err != nil {
		t.Fatal(err)
	}

	// Rejects are reported at upload, long before start_at.
	var pc struct {
		Rows, Valid, Rejected int
	}
	deadline := time.Now().Add(time.Minute)
	for {
		b, err := os.ReadFile(filepath.Join(bucket, "reports", "sched", "precheck.json"))
		if err == nil && json.Unmarshal(b, &pc) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no precheck.json within a minute: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	checked := time.Now()
	if pc.Rows != 4 || pc.Valid != 3 || pc.Rejected != 1 {
		t.Errorf("precheck %+v, want 4 rows, 3 valid, 1 rejected", pc)
	}
	if rej, err := os.ReadFile(filepath.Join(bucket, "reports", "sched", "rejects.csv")); err != nil || !strings.Contains(string(rej), "12345") {
		t.Errorf("rejects.csv %q %v", rej, err)
	}
	if checked.After(startAt) {
		t.Fatalf("the check finished after start_at (%s); the test's margin is too small for this machine", startAt)
	}
	if n := len(p.matches(smsLine)); n != 0 {
		t.Fatalf("%d SMS before start_at", n)
	}

	p.waitFor(t, smsLine, 3, time.Minute)
	sent := time.Now()
	if sent.Before(startAt) {
		t.Errorf("sent at %s, before start_at %s", sent, startAt)
	}
	if late := sent.Sub(startAt); late > 15*time.Second {
		t.Errorf("started %s after start_at with a 2 s timer", late)
	}
}
