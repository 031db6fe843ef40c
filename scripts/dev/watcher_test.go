package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// firings records what the watcher fired.
type firings struct {
	mu   sync.Mutex
	objs []cosObject
	ch   chan struct{}
}

func (f *firings) fire(_ context.Context, o cosObject) {
	f.mu.Lock()
	f.objs = append(f.objs, o)
	f.mu.Unlock()
	f.ch <- struct{}{}
}

func (f *firings) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ks []string
	for _, o := range f.objs {
		ks = append(ks, o.key)
	}
	return ks
}

// waitQuiet waits for n firings, then for a while longer to catch extra ones.
func (f *firings) waitQuiet(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for range n {
		select {
		case <-f.ch:
		case <-deadline:
			t.Fatalf("waited for %d firings, got %v", n, f.keys())
		}
	}
	select {
	case <-f.ch:
		t.Fatalf("extra firing: %v", f.keys())
	case <-time.After(3 * quietPeriod):
	}
}

func TestWatcherFiresOncePerVersion(t *testing.T) {
	root := t.TempDir()
	lay := layout{root: root}
	if err := lay.create(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lay.uploads(), "old.csv"), []byte("phone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := blob.Open(context.Background(), lay.bucketURL())
	if err != nil {
		t.Fatal(err)
	}
	f := &firings{ch: make(chan struct{}, 16)}
	w, err := newWatcher(lay.uploads(), b, f.fire, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	if got := w.skipExisting(ctx); len(got) != 1 || got[0] != "old.csv" {
		t.Errorf("skipExisting = %v", got)
	}
	done := make(chan struct{})
	go func() { w.run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// A slow writer: chunks with pauses shorter than the quiet period fire once, whole.
	path := filepath.Join(lay.uploads(), "slow.csv")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := fh.WriteString("13800138000,row" + string(rune('0'+i)) + "\n"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(quietPeriod / 3)
	}
	fh.Close()
	// Files outside the filter never fire.
	os.WriteFile(filepath.Join(lay.uploads(), "slow.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(lay.uploads(), ".hidden.csv"), []byte("x"), 0o644)
	f.waitQuiet(t, 1)
	if o := f.objs[0]; o.key != "uploads/slow.csv" || o.size != int64(5*len("13800138000,row0\n")) || o.etag == "" {
		t.Errorf("fired %+v", o)
	}

	// An atomic rename into place fires once; touching nothing fires nothing.
	tmp := filepath.Join(lay.uploads(), ".x.tmp")
	os.WriteFile(tmp, []byte("phone\n1\n"), 0o644)
	if err := os.Rename(tmp, filepath.Join(lay.uploads(), "renamed.csv")); err != nil {
		t.Fatal(err)
	}
	f.waitQuiet(t, 1)

	// Rewriting a file is a new version: it fires again.
	os.WriteFile(path, []byte("phone\n13900139000\n"), 0o644)
	f.waitQuiet(t, 1)
	if got := f.keys(); len(got) != 3 || got[1] != "uploads/renamed.csv" || got[2] != "uploads/slow.csv" {
		t.Errorf("fired %v", got)
	}

	// Keys with slashes: a new subdirectory is watched, and a directory
	// moved in whole fires for the CSV inside.
	sub := filepath.Join(lay.uploads(), "2026")
	os.Mkdir(sub, 0o755)
	time.Sleep(quietPeriod / 5) // let the watcher add it
	os.WriteFile(filepath.Join(sub, "march.csv"), []byte("phone\n1\n"), 0o644)
	f.waitQuiet(t, 1)
	outside := filepath.Join(root, "batch")
	os.MkdirAll(filepath.Join(outside, "inner"), 0o755)
	os.WriteFile(filepath.Join(outside, "inner", "b.csv"), []byte("phone\n1\n"), 0o644)
	if err := os.Rename(outside, filepath.Join(lay.uploads(), "batch")); err != nil {
		t.Fatal(err)
	}
	f.waitQuiet(t, 1)
	if got := f.keys(); len(got) != 5 || got[3] != "uploads/2026/march.csv" || got[4] != "uploads/batch/inner/b.csv" {
		t.Errorf("fired %v", got)
	}
}
