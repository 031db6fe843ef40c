package check_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/check"
	"github.com/smsjump/smsjump/scripts/dev/check/checktest"
	"github.com/smsjump/smsjump/shared/campaign"
)

func loadManifest(t testing.TB, path string) campaign.Manifest {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := campaign.ParseManifest(f, campaign.Defaults{SDKAppID: "1400000001", TargetPath: "pages/index/index"})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRunFixtures(t *testing.T) {
	tests := []struct {
		name, csv, manifest string
		rows, valid         int
		reasons             map[campaign.Reason]int
	}{
		{
			name: "demo campaign", csv: "../demo/demo.csv", manifest: "../demo/demo.json",
			rows: 20, valid: 16,
			reasons: map[campaign.Reason]int{
				campaign.ReasonInvalidPhone: 1, campaign.ReasonDuplicate: 1,
				campaign.ReasonNotMobile: 1, campaign.ReasonParamTooLong: 1,
			},
		},
		{
			name: "quoting, bad rows and GB18030", csv: "testdata/odd.csv", manifest: "testdata/manifest.json",
			rows: 5, valid: 2,
			reasons: map[campaign.Reason]int{
				campaign.ReasonBadFieldCount: 1, campaign.ReasonEmptyPhone: 1, campaign.ReasonParamContainsURL: 1,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(tt.csv)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var report bytes.Buffer
			s, err := check.Run(context.Background(), f, check.Options{Manifest: loadManifest(t, tt.manifest), File: tt.csv, Report: &report})
			if err != nil {
				t.Fatal(err)
			}
			if s.Rows != tt.rows || s.Valid != tt.valid || s.Rows != s.Valid+s.Rejected {
				t.Errorf("rows %d valid %d rejected %d, want rows %d valid %d", s.Rows, s.Valid, s.Rejected, tt.rows, tt.valid)
			}
			for r, n := range tt.reasons {
				if s.ByReason[r] != n {
					t.Errorf("%s: %d, want %d (all: %v)", r, s.ByReason[r], n, s.ByReason)
				}
			}
			if len(s.ByReason) != len(tt.reasons) {
				t.Errorf("reasons %v, want %v", s.ByReason, tt.reasons)
			}
			if s.Segments < s.Valid {
				t.Errorf("segments %d < valid %d", s.Segments, s.Valid)
			}
			checkReport(t, report.Bytes(), s)
		})
	}
}

// checkReport parses the would-be result.csv: BOM, one line per row, states
// adding up to the summary.
func checkReport(t *testing.T, b []byte, s *check.Summary) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("report has no UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("report is not CSV: %v", err)
	}
	if len(recs) != s.Rows+1 {
		t.Fatalf("report has %d lines, want header + %d", len(recs), s.Rows)
	}
	send := 0
	for _, r := range recs[1:] {
		if r[3] == check.StateWouldSend {
			send++
		} else if r[4] == "" {
			t.Errorf("rejected row without reason: %v", r)
		}
	}
	if send != s.Valid {
		t.Errorf("report has %d would_send rows, summary %d valid", send, s.Valid)
	}
}

func TestRunGenerated(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	var buf bytes.Buffer
	want, err := checktest.Write(&buf, n)
	if err != nil {
		t.Fatal(err)
	}
	var progressed int64
	s, err := check.Run(context.Background(), &buf, check.Options{
		Manifest: loadManifest(t, "testdata/manifest.json"), Report: io.Discard,
		Progress: func(b int64) { progressed = b },
	})
	if err != nil {
		t.Fatal(err)
	}
	got := checktest.Expected{Rows: s.Rows, Valid: s.Valid, Invalid: s.ByReason[campaign.ReasonInvalidPhone],
		Duplicates: s.Duplicates, TooLong: s.ByReason[campaign.ReasonParamTooLong]}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if progressed != s.Bytes || s.Bytes == 0 {
		t.Errorf("last progress %d, bytes %d", progressed, s.Bytes)
	}
}

func TestRunUnusableInput(t *testing.T) {
	m := loadManifest(t, "testdata/manifest.json")
	tests := map[string]string{
		"empty":           "",
		"no phone column": "name,city\n张三,北京\n",
		"manifest column": "phone\n13800138000\n", // manifest maps {1} to column name
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := check.Run(context.Background(), strings.NewReader(in), check.Options{Manifest: m})
			if !errors.Is(err, check.ErrInput) {
				t.Fatalf("err = %v, want ErrInput", err)
			}
		})
	}
}

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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestGoldenExcelArtefacts checks what the operator reads for a file with
// every Excel artefact, a duplicate, a two-segment row and broken rows: the
// terminal table, rejects.csv and the full report, byte for byte.
func TestGoldenExcelArtefacts(t *testing.T) {
	f, err := os.Open("testdata/excel.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var report, rejects bytes.Buffer
	s, err := check.Run(context.Background(), f, check.Options{
		Manifest: loadManifest(t, "testdata/excel.json"), File: "excel.csv",
		Report: &report, Rejects: &rejects, QPS: 3000,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Duration = 12 * time.Millisecond // the only measured value
	var table bytes.Buffer
	if err := check.WriteTable(&table, s); err != nil {
		t.Fatal(err)
	}
	golden(t, "excel.table.golden", table.Bytes())
	golden(t, "excel.rejects.golden.csv", rejects.Bytes())
	golden(t, "excel.result.golden.csv", report.Bytes())
	checkReport(t, report.Bytes(), s)

	// Each artefact has its own reason; the decimal export is sent, noted.
	if s.ByReason[campaign.ReasonScientific] != 1 || s.ExcelFloat != 1 || s.BySegments[2] != 1 || s.Duplicates != 1 {
		t.Errorf("summary %+v", s)
	}
	for _, want := range []string{"请将该列设为文本后重新导出", "与第 2 行重复", "1 行按 2 条计费", "Excel 小数格式"} {
		if !strings.Contains(table.String()+rejects.String()+report.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// TestRejectsRecheck: rejects.csv, mended, is a campaign file again: the
// extra columns are ignored and the mended rows pass.
func TestRejectsRecheck(t *testing.T) {
	in := "phone,name\n13800138000,张三\n1.38001E+10,李四\n13800138000,张三\n"
	m := loadManifest(t, "testdata/manifest.json")
	var rejects bytes.Buffer
	if _, err := check.Run(context.Background(), strings.NewReader(in), check.Options{Manifest: m, Rejects: &rejects}); err != nil {
		t.Fatal(err)
	}
	mended := strings.Replace(rejects.String(), ",1.38001E+10,", ",13800138001,", 1)
	s, err := check.Run(context.Background(), strings.NewReader(mended), check.Options{Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows != 2 || s.Valid != 2 {
		t.Fatalf("re-check of mended rejects.csv: %+v\n%s", s, mended)
	}
}

func BenchmarkRun(b *testing.B) {
	var buf bytes.Buffer
	if _, err := checktest.Write(&buf, 100_000); err != nil {
		b.Fatal(err)
	}
	m := loadManifest(b, "testdata/manifest.json")
	b.ReportAllocs()
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := check.Run(context.Background(), bytes.NewReader(buf.Bytes()), check.Options{Manifest: m, Report: io.Discard}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// TestCallsEstimate: numbers with identical parameters share a call of up
// to 200; the duration follows the rate.
func TestCallsEstimate(t *testing.T) {
	var b strings.Builder
	b.WriteString("phone,name\n")
	for i := range 450 {
		fmt.Fprintf(&b, "139%08d,张三\n", i)
	}
	for i := range 10 {
		fmt.Fprintf(&b, "138%08d,李%d\n", i, i)
	}
	s, err := check.Run(context.Background(), strings.NewReader(b.String()), check.Options{Manifest: loadManifest(t, "testdata/manifest.json"), QPS: 5})
	if err != nil {
		t.Fatal(err)
	}
	if s.Valid != 460 || s.Calls != 3+10 || s.QPS != 5 || s.SendSeconds != 2.6 {
		t.Fatalf("valid %d calls %d qps %d seconds %v, want 460, 13, 5, 2.6", s.Valid, s.Calls, s.QPS, s.SendSeconds)
	}
}
