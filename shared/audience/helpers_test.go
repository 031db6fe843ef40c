package audience

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/store"
)

// openStores returns the backends the package is tested on: a bolt file
// shared by two handles (two processes' worth of locking), and Redis when
// SMSJUMP_TEST_REDIS_URL is set.
func openStores(t *testing.T) map[string][2]store.Store {
	t.Helper()
	ctx := context.Background()
	out := map[string][2]store.Store{}
	boltURL := "bolt://" + filepath.Join(t.TempDir(), "state.db")
	urls := map[string]string{"bolt": boltURL}
	if u := os.Getenv("SMSJUMP_TEST_REDIS_URL"); u != "" {
		urls["redis"] = u
	}
	// A fresh namespace, so a shared Redis keeps nothing from earlier runs.
	prefix := "test/audience/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/"
	for name, u := range urls {
		var pair [2]store.Store
		for i := range pair {
			st, err := store.Open(ctx, u, store.WithKeyPrefix(prefix))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			pair[i] = st
		}
		out[name] = pair
	}
	return out
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// bj builds a Beijing time.
func bj(day, hhmm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func key(t *testing.T, e164 string) uint64 {
	t.Helper()
	k, ok := phone.Key(e164)
	if !ok {
		t.Fatalf("%s is not E.164", e164)
	}
	return k
}

// nthPhone is a valid-looking mainland mobile number per i.
func nthPhone(i int) uint64 { return 8613800000000 + uint64(i)*7919%100000000 }
