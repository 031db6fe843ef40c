package send

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// dupManifest is noticeManifest as a dry run.
func dupManifest() map[string]any {
	m := map[string]any{"dry_run": true}
	for k, v := range noticeManifest {
		m[k] = v
	}
	return m
}

func TestDryRunNamesTheFirstLineOfADuplicate(t *testing.T) {
	e := newEnv(t, nil, nil)
	csv := strings.Join([]string{
		"phone,name",
		"+8613900000005,张三,多余",  // 1: bad_field_count; its number was never taken
		"13900000001,甲",         // 2
		"139 0000 0005,乙",       // 3: first taking of …0005
		"+86 139-0000-0001,甲重复", // 4: repeats row 2
		"12345,坏",               // 5
		"13900000005,乙重复",       // 6: repeats row 3, not row 1
		"13900000001,甲再重复",      // 7: repeats row 2
		"",
	}, "\n")
	e.put("uploads/dry.csv", []byte(csv))
	e.putManifest("dry", dupManifest())
	if out := e.run(context.Background(), "dry"); out.Status != StatusDone {
		t.Fatalf("%+v", out)
	}
	want := map[int]string{4: "与第 2 行重复", 6: "与第 3 行重复", 7: "与第 2 行重复"}
	rows := e.results("dry")
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if w, dup := want[r.Row]; dup {
			if r.State != StateRejected || r.Reason != "duplicate" || r.Code != w {
				t.Errorf("row %d: %s/%s/%q, want rejected/duplicate/%q", r.Row, r.State, r.Reason, r.Code, w)
			}
		} else if r.Reason == "duplicate" || strings.Contains(r.Code, "重复") {
			t.Errorf("row %d: %+v", r.Row, r)
		}
	}
}

// oddPart is the row that first holds row j's number in dupCSV.
func oddPart(j int) int {
	for j%2 == 0 {
		j /= 2
	}
	return j
}

// dupCSV gives row j the number of its odd part: every even row repeats an
// earlier one, at every distance, so that whichever row a run stops at,
// some duplicates straddle the checkpoint.
func dupCSV(n int) string {
	var b strings.Builder
	b.WriteString("phone,name\n")
	for j := 1; j <= n; j++ {
		fmt.Fprintf(&b, "%s,用户%d\n", phoneN(oddPart(j)), j%1000)
	}
	return b.String()
}

func TestDryRunDuplicatesAcrossAPauseNameTheFirstLine(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ControlEvery, o.CheckpointEvery = 5*time.Millisecond, 10*time.Millisecond }, nil)
	const n = 150_000
	csv := []byte(dupCSV(n))
	// A dry run takes rows as fast as it reads them: on an idle machine it
	// can finish before the stop file is seen. Such an attempt proves
	// nothing about a pause, so another upload tries again.
	var name string
	var s Summary
	for attempt := range 4 {
		name = fmt.Sprintf("halt%d", attempt)
		e.put("uploads/"+name+".csv", csv)
		e.putManifest(name, dupManifest())
		// Stop the job once its first rows are checkpointed (a part exists).
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range 5000 {
				for a, err := range e.bucket.List(context.Background(), "reports/"+name+"/") {
					if err == nil && strings.Contains(a.Key, "/.parts/") {
						e.put("control/"+name+".stop", nil)
						return
					}
				}
				time.Sleep(time.Millisecond)
			}
		}()
		out := e.run(context.Background(), name)
		<-done
		if out.Status == StatusDone {
			t.Logf("attempt %d finished before the stop file was seen", attempt)
			continue
		}
		if out.Status != StatusStopped {
			t.Fatalf("first run: %+v", out)
		}
		s = e.summary(name)
		break
	}
	if s.Rows == 0 || s.Rows >= n {
		t.Fatalf("stopped after %d rows of %d", s.Rows, n)
	}
	if err := e.bucket.Delete(context.Background(), "control/"+name+".stop"); err != nil {
		t.Fatal(err)
	}
	outs, err := e.svc.ResumeDue(context.Background())
	if err != nil || len(outs) != 1 || outs[0].Status != StatusDone {
		t.Fatalf("resume: %+v %v", outs, err)
	}
	rows := e.results(name)
	if len(rows) != n {
		t.Fatalf("%d rows", len(rows))
	}
	straddling := 0
	for _, r := range rows {
		first := oddPart(r.Row)
		switch {
		case first == r.Row && r.Reason != ReasonDryRun:
			t.Fatalf("row %d: %+v, want dry_run", r.Row, r)
		case first != r.Row && (r.Reason != "duplicate" || r.Code != fmt.Sprintf("与第 %d 行重复", first)):
			t.Fatalf("row %d: %s/%q, want duplicate of row %d", r.Row, r.Reason, r.Code, first)
		case first <= s.Rows && r.Row > s.Rows:
			straddling++
		}
	}
	if straddling == 0 {
		t.Fatalf("no duplicate straddles the stop at row %d", s.Rows)
	}
	t.Logf("stopped at row %d; %d duplicates after it repeat rows before it", s.Rows, straddling)
}
