package store_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/store/storetest"
)

func boltURL(t testing.TB) string {
	return "bolt://" + filepath.Join(t.TempDir(), "state.db")
}

func openOrFatal(t testing.TB, rawURL string, opts ...store.Option) store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), rawURL, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestBoltConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openOrFatal(t, boltURL(t)) })
}

// TestBoltTwoStoresOneFile: two Stores on one file in one process share
// data (and a handle, so neither waits for the other's file lock).
func TestBoltTwoStoresOneFile(t *testing.T) {
	u := boltURL(t)
	a, b := openOrFatal(t, u), openOrFatal(t, u)
	defer b.Close()
	ctx := t.Context()
	if err := a.Set(ctx, "k", []byte("from a"), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Get(ctx, "k"); err != nil || string(got) != "from a" {
		t.Fatalf("b.Get = %q, %v", got, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if ok, err := b.SetIfAbsent(ctx, "k", []byte("from b"), 0); err != nil || ok {
		t.Fatalf("b.SetIfAbsent after a closed = %v, %v; want false", ok, err)
	}
}

// TestBoltLockedFile: while another handle holds bbolt's lock, operations
// wait until their context ends and then report ErrUnavailable; once the
// lock is released they succeed.
func TestBoltLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := openOrFatal(t, "bolt://"+path)
	defer s.Close()

	// A second bbolt handle in this process takes the same flock another
	// process would: flock locks belong to the open file, not the process.
	holder, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = s.Get(ctx, "k")
	if !errors.Is(err, store.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get on a locked file: err = %v, want ErrUnavailable and DeadlineExceeded", err)
	}

	done := make(chan error, 1)
	go func() { done <- s.Set(t.Context(), "k", []byte("v"), 0) }()
	time.Sleep(50 * time.Millisecond) // let Set start polling the lock
	if err := holder.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Set after the lock was released: %v", err)
	}
	if got, err := s.Get(t.Context(), "k"); err != nil || string(got) != "v" {
		t.Fatalf("Get = %q, %v", got, err)
	}
}

// TestBoltCrossProcess runs three copies of this test binary (see
// TestMain) plus this process against one file, all racing SetIfAbsent on
// the same keys: each key must have exactly one winner across processes.
func TestBoltCrossProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	const procs, rounds = 3, 30
	u := boltURL(t)
	local := openOrFatal(t, u)
	defer local.Close()

	start := time.Now().Add(time.Second) // every helper started by then
	cmds := make([]*exec.Cmd, procs)
	outs := make([]*bytes.Buffer, procs)
	for p := range procs {
		cmd := exec.CommandContext(t.Context(), os.Args[0])
		cmd.Env = append(os.Environ(),
			"STORE_HELPER_PROCESS=race",
			"STORE_HELPER_URL="+u,
			fmt.Sprintf("STORE_HELPER_ID=p%d", p),
			fmt.Sprintf("STORE_HELPER_ROUNDS=%d", rounds),
			fmt.Sprintf("STORE_HELPER_START=%d", start.UnixNano()),
		)
		outs[p] = new(bytes.Buffer)
		cmd.Stdout = outs[p]
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[p] = cmd
	}

	// This process races too, as the emulator would.
	wins := map[int][]string{}
	var mu sync.Mutex
	time.Sleep(time.Until(start))
	for r := range rounds {
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Go(func() {
				v := fmt.Sprintf("parent-g%d", g)
				ok, err := local.SetIfAbsent(t.Context(), fmt.Sprintf("race/%d", r), []byte(v), 0)
				if err != nil {
					t.Errorf("parent SetIfAbsent: %v", err)
				}
				if ok {
					mu.Lock()
					wins[r] = append(wins[r], v)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	}

	for p, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper p%d: %v", p, err)
		}
		sc := bufio.NewScanner(outs[p])
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "WIN" {
				t.Fatalf("helper p%d printed %q", p, sc.Text())
			}
			r, _ := strconv.Atoi(f[1])
			wins[r] = append(wins[r], f[2])
		}
	}
	t.Logf("winners by round: %v", wins)
	for r := range rounds {
		if len(wins[r]) != 1 {
			t.Errorf("round %d: winners %v, want exactly one", r, wins[r])
			continue
		}
		got, err := local.Get(t.Context(), fmt.Sprintf("race/%d", r))
		if err != nil || string(got) != wins[r][0] {
			t.Errorf("round %d: stored %q, %v; winner was %q", r, got, err, wins[r][0])
		}
	}
	for p := range procs {
		k := fmt.Sprintf("mark/p%d/%d", p, rounds-1)
		if got, err := local.Get(t.Context(), k); err != nil || string(got) != fmt.Sprintf("p%d", p) {
			t.Errorf("Get(%s) = %q, %v", k, got, err)
		}
	}
}

func TestBoltOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notBolt := filepath.Join(dir, "not-bolt.db")
	if err := os.WriteFile(notBolt, bytes.Repeat([]byte("x"), 8192), 0o600); err != nil {
		t.Fatal(err)
	}
	fileAsDir := filepath.Join(dir, "file")
	if err := os.WriteFile(fileAsDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, url string
	}{
		{"not a bolt file", "bolt://" + notBolt},
		{"parent is a file", "bolt://" + filepath.Join(fileAsDir, "state.db")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(t.Context(), tc.url)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, store.ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
			if !strings.Contains(err.Error(), "STORE_URL") {
				t.Errorf("error %q does not point at STORE_URL", err)
			}
		})
	}
}
