package funnel_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/cos/costest"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scheme"
	"github.com/smsjump/smsjump/shared/store"
)

// instance is one get-scheme process: its own store handle, scheme service
// (plaintext: no WeChat needed) with the open hook, and beacon handler.
func instance(t *testing.T, storeURL, prefix string) http.Handler {
	t.Helper()
	st, err := store.Open(t.Context(), storeURL, store.WithKeyPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec, err := funnel.NewRecorder(st)
	if err != nil {
		t.Fatal(err)
	}
	links := link.NewRegistry(st, map[string]config.StaticCampaign{"spring": {Path: "pages/index/index"}}, link.Options{})
	svc, err := scheme.New(links, st, nil, nil, scheme.Options{
		AppID: "wx0123456789abcdef", Mode: scheme.ModePlaintext,
		OnOpen: rec.OnOpen(time.Now, slog.Default()),
	})
	if err != nil {
		t.Fatal(err)
	}
	beacons := funnel.NewHandler(rec, funnel.HandlerOptions{PerMinute: 1 << 20})
	mux := http.NewServeMux()
	mux.Handle(funnel.BeaconPath, beacons)
	mux.Handle("/", svc)
	return mux
}

// countAcrossInstances sends opens and beacons, spread over 8 instances
// sharing one store, all at once, and checks that every one was counted.
func countAcrossInstances(t *testing.T, storeURL string, perInstance int) {
	const instances = 8
	prefix := "test/" + strconv.FormatInt(time.Now().UnixNano(), 36) + "/"
	hs := make([]http.Handler, instances)
	for i := range hs {
		hs[i] = instance(t, storeURL, prefix)
	}
	var wg sync.WaitGroup
	errs := make(chan string, instances*perInstance*2)
	// One goroutine per instance, each serving one request at a time, as an
	// SCF instance does; the instances all run at once.
	for _, h := range hs {
		wg.Go(func() {
			for range perInstance {
				for _, target := range []string{"/?c=spring", "/beacon?c=spring&e=jump&k=AB3DE9FG"} {
					r := httptest.NewRequest("POST", target, nil)
					if target[1] == '?' {
						r.Method = "GET"
					}
					r.Header.Set("User-Agent", uaAndroid)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					if w.Code != 200 && w.Code != 204 {
						errs <- fmt.Sprintf("%s: %d %s", target, w.Code, w.Body)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	st, err := store.Open(t.Context(), storeURL, store.WithKeyPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := funnel.Read(t.Context(), st, "spring")
	if err != nil {
		t.Fatal(err)
	}
	n := int64(instances * perInstance)
	if s.Totals[funnel.Opened] != n || s.Totals[funnel.Jump] != n || s.ByCode["AB3DE9FG"][funnel.Jump] != n ||
		s.ByPlatform[funnel.Android][funnel.Opened] != n {
		t.Fatalf("counted %v (code: %v), want %d opens and %d jumps, all android", s.Totals, s.ByCode, n, n)
	}
}

func TestCountsAcrossInstancesBolt(t *testing.T) {
	countAcrossInstances(t, "bolt://"+filepath.Join(t.TempDir(), "state.db"), 50)
}

func TestCountsAcrossInstancesRedis(t *testing.T) {
	u := os.Getenv("SMSJUMP_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
			t.Fatal("SMSJUMP_TEST_REDIS_URL not set")
		}
		t.Skip("SMSJUMP_TEST_REDIS_URL not set (./scripts/test.sh starts Redis)")
	}
	countAcrossInstances(t, u, 250)
}

func TestCountsAcrossInstancesCOS(t *testing.T) {
	cfg := costest.Config(t)
	costest.SetEnvCredentials(t, costest.Lookup(t))
	u := store.FillCOSEndpoint("cos://"+cfg.Bucket+"/"+costest.Prefix(t, cfg)+"?region="+cfg.Region, cfg.Endpoint, true)
	countAcrossInstances(t, u, 25)
}
