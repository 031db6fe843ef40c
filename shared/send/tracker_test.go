package send

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestTrackerEmitsInRowOrder finishes rows in random order and checks that
// parts hold them in order, counters match, and checkpoints see only rows
// that are in committed parts.
func TestTrackerEmitsInRowOrder(t *testing.T) {
	e := newEnv(t, nil, nil)
	pw := &partWriter{ctx: context.Background(), bucket: e.bucket, prefix: "p/"}
	tr := newTracker(64, 10, position{100, 11}, Counters{Rows: 10, Sent: 10}, Ranges{{15, 16}}, pw)
	const n = 50
	rows := rand.Perm(n)
	for i := range n {
		if err := tr.add(11+i, position{int64(200 + i), 12 + i}); err != nil {
			t.Fatal(err)
		}
	}
	committed := 0
	for k, i := range rows {
		tr.finish(Result{Row: 11 + i, Phone: "+86139" + strconv.Itoa(i), State: StateSent, Fee: 1})
		if k%7 == 0 {
			s := tr.snapshot()
			if s.part != nil {
				if err := s.part.commit(); err != nil {
					t.Fatal(err)
				}
			}
			committed = s.parts
			if s.watermark > 10 && s.pos.offset != int64(200+s.watermark-11) {
				t.Fatalf("watermark %d at offset %d", s.watermark, s.pos.offset)
			}
		}
	}
	s := tr.snapshot()
	if s.part != nil {
		s.part.commit()
		committed = s.parts
	}
	if s.watermark != 10+n || s.cnt.Rows != 10+n || s.cnt.Sent != 10+n || s.cnt.InFlight != 2 || s.pending != 0 {
		t.Fatalf("snapshot %+v", s)
	}
	if err := mergeParts(context.Background(), e.bucket, "p/", committed, "out.csv", nil); err != nil {
		t.Fatal(err)
	}
	data, _ := e.bucket.ReadAll(context.Background(), "out.csv")
	lines := strings.Split(strings.TrimSpace(string(data)), "\r\n")[1:]
	for i, l := range lines {
		want := strconv.Itoa(11+i) + ","
		if !strings.HasPrefix(l, want) {
			t.Fatalf("line %d = %q", i, l)
		}
		if inFlight := strings.HasSuffix(l, "true"); inFlight != (i+11 == 15 || i+11 == 16) {
			t.Fatalf("line %q in flight %v", l, inFlight)
		}
	}
	if len(lines) != n {
		t.Fatalf("%d lines", len(lines))
	}
	// A row finished twice is emitted once.
	tr.finish(Result{Row: 11, State: StateSent})
	if tr.peek().cnt.Rows != 10+n {
		t.Fatal("a second finish counted")
	}
}

func TestTrackerAddBlocksWhenFullAndCloseReleases(t *testing.T) {
	e := newEnv(t, nil, nil)
	tr := newTracker(2, 0, position{}, Counters{}, nil, &partWriter{ctx: context.Background(), bucket: e.bucket, prefix: "p/"})
	tr.add(1, position{})
	tr.add(2, position{})
	done := make(chan error)
	go func() { done <- tr.add(3, position{}) }()
	tr.finish(Result{Row: 2, State: StateSent})
	select {
	case err := <-done:
		t.Fatalf("add returned %v while row 1 was open", err)
	default:
	}
	tr.finish(Result{Row: 1, State: StateSent})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := tr.add(4, position{}); err != nil { // rows 3 and 4: full again
		t.Fatal(err)
	}
	go func() { done <- tr.add(5, position{}) }()
	tr.close()
	if err := <-done; err != errTrackerClosed {
		t.Fatalf("blocked add after close: %v", err)
	}
}

func TestBatcherGroupsAndBoundsPending(t *testing.T) {
	var got []*batch
	b := newBatcher(3, 5, 100, func(x *batch) { got = append(got, x) })
	b.add([]string{"a"}, 1, item{row: 1})
	b.add([]string{"b"}, 1, item{row: 2})
	b.add([]string{"a"}, 1, item{row: 3})
	b.add([]string{"a"}, 1, item{row: 4}) // third "a": a full batch
	if len(got) != 1 || len(got[0].items) != 3 || got[0].params[0] != "a" {
		t.Fatalf("full batch: %+v", got)
	}
	for i := range 4 {
		b.add([]string{"c" + strconv.Itoa(i)}, 1, item{row: 5 + i})
	}
	// "b" and c0..c3 make 5 pending: everything goes out.
	if len(got) != 6 || b.pending != 0 {
		t.Fatalf("%d batches, %d pending", len(got), b.pending)
	}
	// An old row does not wait for its group to fill.
	b.add([]string{"x"}, 1, item{row: 10})
	b.add([]string{"y"}, 1, item{row: 110})
	if len(got) != 8 {
		t.Fatalf("aged flush: %d batches", len(got))
	}
}

func BenchmarkTrackerAddFinish(b *testing.B) {
	b.ReportAllocs()
	e := newEnv(b, nil, nil)
	tr := newTracker(1<<12, 0, position{}, Counters{}, nil, &partWriter{ctx: context.Background(), bucket: e.bucket, prefix: "bench/"})
	row := 0
	for b.Loop() {
		row++
		tr.add(row, position{int64(row), row})
		tr.finish(Result{Row: row, Phone: "+8613800138000", State: StateSent, SerialNo: "s", Fee: 1, Segments: 1})
	}
	if s := tr.snapshot(); s.part != nil {
		s.part.commit()
	}
}
