package check_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/scripts/dev/check"
	"github.com/smsjump/smsjump/shared/audience"
)

// verdicts answers per number, like an audience.JobGate.
type verdicts map[string]audience.Verdict

func (v verdicts) Check(e164 string) audience.Verdict { return v[e164] }

// TestAudienceCounts: rows the job would leave out are counted, shown as
// not_sent in the report, and kept out of rejects.csv and the bill.
func TestAudienceCounts(t *testing.T) {
	m := loadManifest(t, "testdata/manifest.json")
	csv := "phone,name\n13800138001,a\n13800138002,b\n13800138003,c\n13800138001,dup\n"
	var report, rejects bytes.Buffer
	s, err := check.Run(context.Background(), strings.NewReader(csv), check.Options{
		Manifest: m, File: "x.csv", Report: &report, Rejects: &rejects,
		Audience: verdicts{"+8613800138001": audience.OptedOut, "+8613800138002": audience.Capped},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.Rows != 4 || s.Valid != 1 || s.OptedOut != 1 || s.Capped != 1 || s.Rejected != 1 || s.Segments != 1 || !s.AudienceChecked {
		t.Errorf("summary %+v", s)
	}
	if !strings.Contains(report.String(), ",not_sent,opted_out,") || !strings.Contains(report.String(), ",not_sent,frequency_capped,") {
		t.Errorf("report:\n%s", report.String())
	}
	if strings.Contains(rejects.String(), "13800138002") {
		t.Errorf("a capped row is not the operator's mistake:\n%s", rejects.String())
	}
	var table bytes.Buffer
	if err := check.WriteTable(&table, s); err != nil || !strings.Contains(table.String(), "已退订") || !strings.Contains(table.String(), "超出频次") {
		t.Errorf("table:\n%s %v", table.String(), err)
	}
}
