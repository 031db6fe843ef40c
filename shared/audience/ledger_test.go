package audience

import (
	"context"
	"testing"
	"time"
)

// TestCapAcrossCampaigns: three campaigns in one day to the same numbers
// under 1/24h: each number gets one message, from the first campaign.
func TestCapAcrossCampaigns(t *testing.T) {
	for name, sts := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c := &clock{t: bj("2026-03-02", "09:00")}
			cp, _ := ParseCap("1/24h")
			numbers := []uint64{nthPhone(1), nthPhone(2), nthPhone(3)}
			sentBy := map[uint64][]string{}
			for i, campaign := range []string{"a", "b", "c"} {
				c.set(bj("2026-03-02", "09:00").Add(time.Duration(i) * 3 * time.Hour))
				aud := New(sts[i%2], c.now)
				f, err := aud.Load(ctx, Policy{Suppress: true, Cap: cp})
				if err != nil {
					t.Fatal(err)
				}
				rec, err := aud.Ledger.Recorder(ctx, "job-"+campaign, campaign, 0)
				if err != nil {
					t.Fatal(err)
				}
				var sent []uint64
				for _, k := range numbers {
					if f.Check(k) == Allow {
						sent = append(sent, k)
						sentBy[k] = append(sentBy[k], campaign)
					} else if f.Check(k) != Capped {
						t.Fatalf("verdict %v", f.Check(k))
					}
				}
				if err := rec.Commit(ctx, 0, sent); err != nil {
					t.Fatal(err)
				}
			}
			for _, k := range numbers {
				if got := sentBy[k]; len(got) != 1 || got[0] != "a" {
					t.Errorf("%d sent by %v, want once by a", k, got)
				}
			}
			// 24 hours after the first campaign the number may hear again.
			c.set(bj("2026-03-03", "09:01"))
			f, err := New(sts[0], c.now).Load(ctx, Policy{Cap: cp})
			if err != nil || f.Check(numbers[0]) != Allow {
				t.Fatalf("after 24h: %v, %v", f.Check(numbers[0]), err)
			}
		})
	}
}

// TestCapBeijingDays: 1/1d counts Beijing calendar days; 3/7d spans a week.
func TestCapBeijingDays(t *testing.T) {
	st := openStores(t)["bolt"][0]
	ctx := context.Background()
	c := &clock{}
	aud := New(st, c.now)
	n := nthPhone(9)
	send := func(job string, at time.Time) {
		t.Helper()
		c.set(at)
		rec, err := aud.Ledger.Recorder(ctx, job, job, 0)
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.Commit(ctx, 0, []uint64{n}); err != nil {
			t.Fatal(err)
		}
	}
	verdict := func(cap string, at time.Time) Verdict {
		t.Helper()
		c.set(at)
		cp, _ := ParseCap(cap)
		f, err := aud.Load(ctx, Policy{Cap: cp})
		if err != nil {
			t.Fatal(err)
		}
		return f.Check(n)
	}
	send("j1", bj("2026-03-01", "23:50"))
	if v := verdict("1/1d", bj("2026-03-01", "23:55")); v != Capped {
		t.Errorf("same Beijing day: %v, want capped", v)
	}
	if v := verdict("1/1d", bj("2026-03-02", "00:05")); v != Allow {
		t.Errorf("next Beijing day (still 1 March in UTC): %v, want allow", v)
	}
	if v := verdict("1/24h", bj("2026-03-02", "00:05")); v != Capped {
		t.Errorf("rolling 24h: %v, want capped", v)
	}
	send("j2", bj("2026-03-03", "10:00"))
	send("j3", bj("2026-03-05", "10:00"))
	if v := verdict("3/7d", bj("2026-03-07", "10:00")); v != Capped {
		t.Errorf("3 in 7 days: %v, want capped", v)
	}
	if v := verdict("3/7d", bj("2026-03-08", "08:00")); v != Allow {
		t.Errorf("first of the 3 left the 7-day window: %v, want allow", v)
	}
	if v := verdict("1/24h,3/7d", bj("2026-03-05", "12:00")); v != Capped {
		t.Errorf("combined: %v, want capped", v)
	}
}

// TestCapCrashMidCounting: a run commits segments 0–2 but its checkpoint
// holds only parts 0–1 when it dies. The resumed run cuts the ledger back
// to 2 segments and writes segment 2 again with what it sends: every
// number is counted once, whichever run sent it.
func TestCapCrashMidCounting(t *testing.T) {
	for name, sts := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c := &clock{t: bj("2026-03-02", "10:00")}
			aud := New(sts[0], c.now)
			cp, _ := ParseCap("2/1d")
			p := func(i int) uint64 { return nthPhone(100 + i) }
			rec, err := aud.Ledger.Recorder(ctx, "job-x", "x", 0)
			if err != nil {
				t.Fatal(err)
			}
			for seg, keys := range [][]uint64{{p(0), p(1)}, {p(2)}, {p(3), p(4)}} {
				if err := rec.Commit(ctx, seg, keys); err != nil {
					t.Fatal(err)
				}
			}
			// Crash: the job's checkpoint says parts 0 and 1 are committed.
			aud2 := New(sts[1], c.now)
			rec2, err := aud2.Ledger.Recorder(ctx, "job-x", "x", 2)
			if err != nil {
				t.Fatal(err)
			}
			mid, err := aud2.Load(ctx, Policy{Cap: cp})
			if err != nil {
				t.Fatal(err)
			}
			if mid.Counted != 3 {
				t.Fatalf("after the crash %d numbers counted, want 3 (segments past the checkpoint ignored)", mid.Counted)
			}
			// The resumed run sends rows 3 and 4 again (in flight at the crash)
			// and they land in part 2 together with row 5.
			if err := rec2.Commit(ctx, 2, []uint64{p(3), p(4), p(5)}); err != nil {
				t.Fatal(err)
			}
			got, err := aud2.Ledger.counts(ctx, cp)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 6 {
				if c := got.get(p(i)); c[0] != 1 {
					t.Errorf("number %d counted %d times, want 1", i, c[0])
				}
			}
			if got.n != 6 {
				t.Errorf("%d numbers counted, want 6", got.n)
			}
		})
	}
}

func TestLastCampaigns(t *testing.T) {
	st := openStores(t)["bolt"][0]
	ctx := context.Background()
	c := &clock{t: bj("2026-03-02", "10:00")}
	aud := New(st, c.now)
	n := nthPhone(7)
	for i, camp := range []string{"spring", "summer"} {
		c.set(bj("2026-03-02", "10:00").Add(time.Duration(i) * time.Hour))
		rec, _ := aud.Ledger.Recorder(ctx, "job-"+camp, camp, 0)
		if err := rec.Commit(ctx, 0, []uint64{n}); err != nil {
			t.Fatal(err)
		}
	}
	got, err := aud.Ledger.LastCampaigns(ctx, []uint64{n, nthPhone(8)}, 72*time.Hour)
	if err != nil || got[n] != "summer" || len(got) != 1 {
		t.Fatalf("LastCampaigns = %v, %v", got, err)
	}
}
