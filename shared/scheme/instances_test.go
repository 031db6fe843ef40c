package scheme

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/store"
)

// TestCallsAcrossInstances: N opens over 10 targets, spread over 8
// instances (each with its own memory cache and single flight) that share
// one store, cost exactly one generatescheme per target. The store is a
// bolt file, or Redis when SMSJUMP_TEST_REDIS_URL is set. SMSJUMP_BENCH=1
// runs the full 10 000 opens (the BENCHMARKS.md figure); otherwise 2 000.
func TestCallsAcrossInstances(t *testing.T) {
	storeURL := "bolt://" + filepath.Join(t.TempDir(), "state.db")
	if u := os.Getenv("SMSJUMP_TEST_REDIS_URL"); u != "" {
		storeURL = u
	}
	opens := 2000
	if os.Getenv("SMSJUMP_BENCH") == "1" {
		opens = 10000
	}
	const instances, targets = 8, 10
	// A fresh namespace, so a shared Redis keeps nothing from earlier runs.
	prefix := "test/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/"
	ctx := context.Background()
	wx := newSandbox(t)
	c := &clock{t: t0}
	envs := make([]*env, instances)
	for i := range envs {
		st, err := store.Open(ctx, storeURL, store.WithKeyPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		envs[i] = newEnv(t, wx, st, c, func(o *Options) { o.RatePerMinute = 0 })
	}
	// Ten campaigns, each its own target, written once through instance 0.
	for i := range targets {
		if err := envs[0].links.PutCampaign(ctx, campaignN(i)); err != nil {
			t.Fatal(err)
		}
	}
	wx.ResetCalls()

	var wg sync.WaitGroup
	errs := make(chan error, opens)
	for i := range opens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := envs[i%instances]
			if _, err := e.svc.Open(ctx, Request{Campaign: campaignN(i % targets).ID, CQ: "sms"}); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got := wx.Calls(wxapi.PathGenerateScheme)
	t.Logf("%d opens, %d targets, %d instances sharing %s: %d generatescheme calls", opens, targets, instances, storeURL[:5], got)
	if got != targets {
		t.Fatalf("generatescheme calls = %d, want %d", got, targets)
	}
}

// TestDeadLockHolder: an instance that took a target's lock and died delays
// the others by at most LockTTL; they then generate themselves.
func TestDeadLockHolder(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.LockTTL = 150 * time.Millisecond })
	key := cacheKey(testAppID, linkTarget("pages/index/index", "from=sms", "release"))
	if _, err := e.st.SetIfAbsent(context.Background(), lockKey(key), []byte("1"), time.Minute); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"})
	if err != nil || r.Source != SourceGenerated {
		t.Fatalf("%+v %v", r, err)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("did not wait for the holder (%s)", waited)
	}
}
