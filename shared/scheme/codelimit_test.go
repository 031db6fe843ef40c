package scheme

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/store"
)

// TestCodeLimitAcrossInstances: code lookups from one IP spread over
// instances that share a store are limited together. Each instance's own
// bucket would let instances×(rate+burst) through; the shared limit lets
// at most rate+burst through, whatever the concurrency. Recipients behind
// other addresses are not affected.
func TestCodeLimitAcrossInstances(t *testing.T) {
	storeURL := "bolt://" + filepath.Join(t.TempDir(), "state.db")
	if u := os.Getenv("SMSJUMP_TEST_REDIS_URL"); u != "" {
		storeURL = u
	}
	prefix := "test/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/"
	ctx := context.Background()
	wx := newSandbox(t)
	c := &clock{t: t0}
	// Shared limit (1+5)×10 = 60 a minute; the 16 instances' own buckets
	// would let 16×5 = 80 through at once.
	const instances, perMinute, burst = 16, 1, 5
	envs := make([]*env, instances)
	for i := range envs {
		st, err := store.Open(ctx, storeURL, store.WithKeyPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		envs[i] = newEnv(t, wx, st, c, func(o *Options) { o.RatePerMinute = perMinute; o.Burst = burst })
	}
	code, err := envs[0].links.NewCode(ctx, link.Code{Campaign: "spring"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	// One worker per instance, as SCF runs one request per instance.
	var ok, limited atomic.Int32
	const rounds = 6
	for range rounds {
		var wg sync.WaitGroup
		for w := range instances {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := envs[w].do(t, http.MethodGet, "/?c=spring&k="+code, "203.0.113.5", nil)
				switch r.Status {
				case http.StatusOK:
					ok.Add(1)
				case http.StatusTooManyRequests:
					limited.Add(1)
					if r.Header.Get("Retry-After") == "" {
						t.Error("429 without Retry-After")
					}
				default:
					t.Errorf("status %d %+v", r.Status, r.Err)
				}
			}()
		}
		wg.Wait()
	}
	t.Logf("%d lookups over %d instances in %d rounds: %d answered, %d limited", rounds*instances, instances, rounds, ok.Load(), limited.Load())
	// The instances' own buckets alone would let 80 through.
	if n := ok.Load(); n != (perMinute+burst)*codeNATFactor {
		t.Fatalf("answered %d code lookups from one IP in a minute, want exactly %d", n, (perMinute+burst)*codeNATFactor)
	}
	// Another address still gets through, on any instance.
	if r := envs[3].do(t, http.MethodGet, "/?c=spring&k="+code, "198.51.100.9", nil); r.Status != http.StatusOK {
		t.Errorf("other IP: status %d", r.Status)
	}
	// A new instance (its own bucket full) refuses the IP's code lookups but
	// answers its campaign links: those are not part of the shared limit.
	fresh := newEnv(t, wx, envs[0].st, c, func(o *Options) { o.RatePerMinute = perMinute; o.Burst = burst })
	if r := fresh.do(t, http.MethodGet, "/?c=spring&k="+code, "203.0.113.5", nil); r.Status != http.StatusTooManyRequests {
		t.Errorf("code lookup on a new instance: status %d, want 429", r.Status)
	}
	if r := fresh.do(t, http.MethodGet, "/?c=spring", "203.0.113.5", nil); r.Status != http.StatusOK {
		t.Errorf("campaign link from the limited IP: status %d", r.Status)
	}
	// The next window lets the IP in again.
	c.Advance(time.Minute)
	if r := envs[1].do(t, http.MethodGet, "/?c=spring&k="+code, "203.0.113.5", nil); r.Status != http.StatusOK {
		t.Errorf("next minute: status %d", r.Status)
	}
}

// failingStore fails every call of the kinds set.
type failingStore struct {
	store.Store
	failSetIfAbsent atomic.Bool
}

var errStoreDown = errors.New("store down")

func (f *failingStore) SetIfAbsent(ctx context.Context, key string, v []byte, ttl time.Duration) (bool, error) {
	if f.failSetIfAbsent.Load() {
		return false, errStoreDown
	}
	return f.Store.SetIfAbsent(ctx, key, v, ttl)
}

// TestCodeLimitFailsOpen: when the store cannot count, recipients still get
// their scheme.
func TestCodeLimitFailsOpen(t *testing.T) {
	fs := &failingStore{Store: newMemStore(t)}
	e := newEnv(t, nil, fs, nil, func(o *Options) { o.RatePerMinute = 1; o.Burst = 1 })
	ctx := context.Background()
	// Limit (1+1)×10 = 20 a minute.
	for i := range 21 {
		if ok, _ := e.svc.codes.allow(ctx, "203.0.113.7"); ok != (i < 20) {
			t.Fatalf("working store: lookup %d allowed = %v", i, ok)
		}
	}
	fs.failSetIfAbsent.Store(true)
	for i := range 3 {
		if ok, _ := e.svc.codes.allow(ctx, "203.0.113.8"); !ok {
			t.Fatalf("lookup %d refused while the store fails", i)
		}
	}
}
