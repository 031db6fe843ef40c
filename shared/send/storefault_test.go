package send

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/store"
)

// flakyStore fails chosen operations on keys with a prefix, a given number
// of times, after a given number of successful calls.
type flakyStore struct {
	store.Store
	mu     sync.Mutex
	faults []*storeFault
}

type storeFault struct {
	op, prefix string
	contains   string // only values containing this (Set)
	after      int    // calls that succeed first
	times      int    // then this many fail
	failed     int
}

func (f *flakyStore) fail(op, key string, value []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.faults {
		if x.op != op || !strings.HasPrefix(key, x.prefix) || !strings.Contains(string(value), x.contains) {
			continue
		}
		if x.after > 0 {
			x.after--
			continue
		}
		if x.failed < x.times {
			x.failed++
			return fmt.Errorf("%s %s: injected: %w", op, key, store.ErrUnavailable)
		}
	}
	return nil
}

func (f *flakyStore) injected() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, x := range f.faults {
		n += x.failed
	}
	return n
}

func (f *flakyStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := f.fail("get", key, nil); err != nil {
		return nil, err
	}
	return f.Store.Get(ctx, key)
}

func (f *flakyStore) Set(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if err := f.fail("set", key, v); err != nil {
		return err
	}
	return f.Store.Set(ctx, key, v, ttl)
}

// Store blips during renewal and checkpoints must not make any number get
// two messages: the job rides them out, and whatever run finishes it sends
// nothing twice.
func TestStoreBlipsSendNothingTwice(t *testing.T) {
	tests := []struct {
		name   string
		faults []*storeFault
	}{
		{"one lease renewal read fails", []*storeFault{{op: "get", prefix: "send/lease/", times: 1}}},
		{"lease renewals fail for a while", []*storeFault{{op: "get", prefix: "send/lease/", after: 1, times: 3}}},
		{"checkpoints fail for a while", []*storeFault{{op: "set", prefix: "send/job/", after: 3, times: 4}}},
		{"the final state write fails twice", []*storeFault{{op: "set", prefix: "send/job/", contains: `"status":"done"`, times: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs *flakyStore
			e := newEnv(t, func(o *Options) {
				fs = &flakyStore{Store: o.Store, faults: tt.faults}
				o.Store = fs
				// Renewal every 100 ms; 3 failed tries (25 ms apart) stay
				// well inside the TTL.
				o.LeaseTTL, o.QPS, o.Workers, o.CheckpointEvery = 400*time.Millisecond, 500, 4, 150*time.Millisecond
			}, func(o *smsapi.Options) { o.Faults.Latency = 5 * time.Millisecond })
			const n = 900
			e.put("uploads/blip.csv", []byte(plainCSV(n)))
			e.putManifest("blip", noticeManifest)
			runs := 0
			for ; runs < 5; runs++ {
				out, err := e.svc.Run(context.Background(), Upload{Key: "uploads/blip.csv"})
				if err == nil && out.Status == StatusDone {
					break
				}
				t.Logf("run %d: %+v %v", runs+1, out, err)
				time.Sleep(500 * time.Millisecond) // a lost lease expires
			}
			if fs.injected() == 0 {
				t.Fatal("no fault was injected: the test proves nothing")
			}
			checkAllSentOnce(t, e, "blip", n)
			if s := e.summary("blip"); s.Runs != 1 || s.InFlightAtCrash != 0 {
				t.Errorf("a blip cost a resume: %+v", s)
			}
		})
	}
}

// slowLinks stalls the first campaign write, a step before any row is
// sent (like the manifest load, or re-reading a 10M-row CSV head on a
// resume).
type slowLinks struct {
	Links
	once  sync.Once
	stall time.Duration
}

func (l *slowLinks) PutCampaign(ctx context.Context, c CampaignRecord) error {
	l.once.Do(func() { time.Sleep(l.stall) })
	return l.Links.PutCampaign(ctx, c)
}

// The lease is renewed from the moment it is taken: a slow start outlasting
// the TTL does not let a second invocation in.
func TestLeaseRenewedDuringASlowStart(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Links = &slowLinks{Links: o.Links, stall: 800 * time.Millisecond}
		o.LeaseTTL = 200 * time.Millisecond
	}, nil)
	const n = 50
	e.put("uploads/slow.csv", []byte(plainCSV(n)))
	e.putManifest("slow", noticeManifest)
	var wg sync.WaitGroup
	var first Outcome
	wg.Go(func() { first = e.run(context.Background(), "slow") })
	time.Sleep(500 * time.Millisecond) // 2.5 TTLs into the stall
	second := e.run(context.Background(), "slow")
	wg.Wait()
	if first.Status != StatusDone || second.Note != "running in another invocation" {
		t.Fatalf("first %+v, second %+v", first, second)
	}
	checkAllSentOnce(t, e, "slow", n)
}
