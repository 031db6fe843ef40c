package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/jobview"
	"github.com/smsjump/smsjump/shared/send"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestStatusGolden: the status table of a finished, a failed and a running
// job, read through latest.json as send-sms writes it, in Beijing time
// whatever the machine's zone.
func TestStatusGolden(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 18, 40, 0, time.UTC)
	for _, name := range []string{"done", "failed", "running"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			b, _ := tempBucket(t)
			job := "reports/" + name + "/job1/"
			latest := send.Latest{JobID: "job1", Upload: "uploads/" + name + ".csv", Report: job,
				Result: job + "result.csv", Summary: job + "summary.json", Progress: job + "progress.json"}
			put := func(key string, data []byte) { putBlob(t, b, key, data) }
			lb, _ := json.Marshal(latest)
			put("reports/"+name+"/latest.json", lb)
			for _, f := range []string{"summary", "progress"} {
				if data, err := os.ReadFile(filepath.Join("testdata", "status", name+"."+f+".json")); err == nil {
					put(job+f+".json", data)
				}
			}
			rep, err := jobview.Read(ctx, b, name)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := printStatus(&out, rep, "/work/.smsjump/bucket/", now); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("status", name+".golden"), out.Bytes())

			out.Reset()
			if err := printStatusJSON(&out, rep); err != nil {
				t.Fatal(err)
			}
			var raw struct{ Summary, Progress json.RawMessage }
			if err := json.Unmarshal(out.Bytes(), &raw); err != nil || (raw.Summary == nil) != (rep.RawSummary == nil) {
				t.Fatalf("--json output %s: %v", out.Bytes(), err)
			}
		})
	}
}

func TestStatusNoReport(t *testing.T) {
	b, _ := tempBucket(t)
	if _, err := jobview.Read(context.Background(), b, "nope"); err == nil || !bytes.Contains([]byte(err.Error()), []byte("uploads/nope.csv")) {
		t.Fatalf("err = %v, want one naming uploads/nope.csv", err)
	}
}
