package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// TestMain lets the test binary double as the helper process of
// TestBoltCrossProcess: re-executed with STORE_HELPER_PROCESS set, it races
// on the shared file instead of running tests.
func TestMain(m *testing.M) {
	if os.Getenv("STORE_HELPER_PROCESS") == "race" {
		if err := helperRace(); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helperRace opens STORE_HELPER_URL and, from STORE_HELPER_START on, runs
// STORE_HELPER_ROUNDS rounds in which helperGoroutines goroutines call
// SetIfAbsent on key race/<round>. It prints "WIN <round> <value>" per win.
func helperRace() error {
	id := os.Getenv("STORE_HELPER_ID")
	rounds, err := strconv.Atoi(os.Getenv("STORE_HELPER_ROUNDS"))
	if err != nil {
		return fmt.Errorf("STORE_HELPER_ROUNDS: %w", err)
	}
	startNs, err := strconv.ParseInt(os.Getenv("STORE_HELPER_START"), 10, 64)
	if err != nil {
		return fmt.Errorf("STORE_HELPER_START: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, os.Getenv("STORE_HELPER_URL"))
	if err != nil {
		return err
	}
	defer s.Close()
	time.Sleep(time.Until(time.Unix(0, startNs)))

	var (
		mu       sync.Mutex
		firstErr error
		out      []string
	)
	for r := range rounds {
		var wg sync.WaitGroup
		for g := range helperGoroutines {
			wg.Go(func() {
				v := fmt.Sprintf("%s-g%d", id, g)
				ok, err := s.SetIfAbsent(ctx, fmt.Sprintf("race/%d", r), []byte(v), 0)
				mu.Lock()
				defer mu.Unlock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if ok {
					out = append(out, fmt.Sprintf("WIN %d %s", r, v))
				}
			})
		}
		wg.Wait()
		// Plain writes too: each process leaves a mark the parent reads.
		if err := s.Set(ctx, fmt.Sprintf("mark/%s/%d", id, r), []byte(id), 0); err != nil {
			return err
		}
	}
	for _, line := range out {
		fmt.Println(line)
	}
	return firstErr
}

const helperGoroutines = 4

// serverURL returns the address of an external test server from env, or
// skips the test (fails it when SMSJUMP_REQUIRE_SERVERS=1, as in CI).
func serverURL(t testing.TB, env, example string) string {
	t.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
		t.Fatalf("%s is not set and SMSJUMP_REQUIRE_SERVERS=1; set it, e.g. %s=%s", env, env, example)
	}
	t.Skipf("%s not set (e.g. %s=%s)", env, env, example)
	return ""
}
