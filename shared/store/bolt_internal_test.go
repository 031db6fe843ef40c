package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTestBolt opens a bolt store on a new file with a fake clock.
func openTestBolt(t *testing.T) (Store, string, *fakeClock) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	clock := newFakeClock()
	s, err := Open(context.Background(), "bolt://"+path, WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path, clock
}

// countBuckets reads the file directly. The store holds no lock between
// operations, so this works while it is open.
func countBuckets(t *testing.T, path string) (kv, exp int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		kv = tx.Bucket(kvBucket).Stats().KeyN
		exp = tx.Bucket(expBucket).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return kv, exp
}

// TestBoltSweep: expired records are invisible at once, and removed from
// the file by later writes, boltSweepLimit at a time.
func TestBoltSweep(t *testing.T) {
	s, path, clock := openTestBolt(t)
	ctx := t.Context()
	const n = 100
	for i := range n {
		if err := s.Set(ctx, fmt.Sprint("short/", i), []byte("v"), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set(ctx, "forever", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if kv, exp := countBuckets(t, path); kv != n+1 || exp != n {
		t.Fatalf("after writes: kv=%d exp=%d, want %d, %d", kv, exp, n+1, n)
	}
	clock.Advance(time.Minute)
	if _, err := s.Get(ctx, "short/0"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get expired: %v", err)
	}
	steps := []struct{ kv, exp int }{
		{n + 2 - boltSweepLimit, n - boltSweepLimit}, // first write: one batch
		{2, 0}, // second write: the rest
	}
	for i, want := range steps {
		if err := s.Set(ctx, "trigger", []byte("v"), 0); err != nil {
			t.Fatal(err)
		}
		if kv, exp := countBuckets(t, path); kv != want.kv || exp != want.exp {
			t.Fatalf("after write %d: kv=%d exp=%d, want %d, %d", i+1, kv, exp, want.kv, want.exp)
		}
	}
}

// TestBoltIndexFollowsOverwrite: rewriting or deleting a key replaces its
// index entry, so a stale entry never deletes a fresh record.
func TestBoltIndexFollowsOverwrite(t *testing.T) {
	s, path, clock := openTestBolt(t)
	ctx := t.Context()
	ops := []struct {
		name    string
		do      func() error
		kv, exp int
	}{
		{"set ttl", func() error { return s.Set(ctx, "k", []byte("1"), time.Second) }, 1, 1},
		{"set longer ttl", func() error { return s.Set(ctx, "k", []byte("2"), time.Hour) }, 1, 1},
		{"set no ttl", func() error { return s.Set(ctx, "k", []byte("3"), 0) }, 1, 0},
		{"set ttl again", func() error { return s.Set(ctx, "k", []byte("4"), time.Second) }, 1, 1},
		{"delete", func() error { return s.Delete(ctx, "k") }, 0, 0},
		{"create", func() error { _, err := s.SetIfAbsent(ctx, "k", []byte("5"), time.Hour); return err }, 1, 1},
	}
	for _, op := range ops {
		if err := op.do(); err != nil {
			t.Fatalf("%s: %v", op.name, err)
		}
		if kv, exp := countBuckets(t, path); kv != op.kv || exp != op.exp {
			t.Fatalf("after %s: kv=%d exp=%d, want %d, %d", op.name, kv, exp, op.kv, op.exp)
		}
	}
	clock.Advance(2 * time.Second) // past the first TTL, not the last
	if err := s.Set(ctx, "other", []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "k"); err != nil || string(got) != "5" {
		t.Fatalf("Get = %q, %v; want \"5\"", got, err)
	}
}

// TestBoltCorruptRecord: an undecodable record is reported, not served or
// silently replaced by SetIfAbsent; Set overwrites it.
func TestBoltCorruptRecord(t *testing.T) {
	s, path, _ := openTestBolt(t)
	ctx := t.Context()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket(kvBucket).Put([]byte("bad"), []byte{9, 9}) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "bad"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Get: err = %v, want ErrCorrupt", err)
	}
	if _, err := s.SetIfAbsent(ctx, "bad", []byte("v"), 0); !errors.Is(err, ErrCorrupt) {
		t.Errorf("SetIfAbsent: err = %v, want ErrCorrupt", err)
	}
	if err := s.Set(ctx, "bad", []byte("good"), 0); err != nil {
		t.Fatalf("Set over a corrupt record: %v", err)
	}
	if got, err := s.Get(ctx, "bad"); err != nil || string(got) != "good" {
		t.Fatalf("Get = %q, %v", got, err)
	}
}

// TestBoltNoopWritesSkipCommit: a losing SetIfAbsent and a Delete of a
// missing key leave the file's transaction id unchanged (no commit, no fsync).
func TestBoltNoopWritesSkipCommit(t *testing.T) {
	s, path, _ := openTestBolt(t)
	ctx := t.Context()
	if err := s.Set(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	txid := func() int {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tx, err := db.Begin(false)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		return int(tx.ID())
	}
	before := txid()
	if ok, err := s.SetIfAbsent(ctx, "k", []byte("x"), 0); err != nil || ok {
		t.Fatalf("SetIfAbsent = %v, %v", ok, err)
	}
	if err := s.Delete(ctx, "missing"); err != nil {
		t.Fatal(err)
	}
	if after := txid(); after != before {
		t.Fatalf("no-op writes committed: txid %d -> %d", before, after)
	}
	if err := s.Delete(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if after := txid(); after == before {
		t.Fatal("a real Delete did not commit")
	}
}

// TestBoltBusyProcessLetsOthersIn: a process whose goroutines keep the file
// open without pause must still let another process write (boltMaxHold,
// boltYield). The second process is simulated by a second boltFile on the
// same path, which, like a real process, cannot share the first one's handle.
func TestBoltBusyProcessLetsOthersIn(t *testing.T) {
	busy, path, _ := openTestBolt(t)
	f := busy.(*boltStore).f
	other := &boltStore{f: &boltFile{path: path, log: slog.Default()}, now: time.Now}
	ctx := t.Context()

	// Staggered holders that each keep the handle for 20 ms: at every moment
	// at least one operation is in flight, so the handle never closes by
	// itself.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 5 * time.Millisecond)
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := f.with(ctx, func(*bolt.DB) error {
					time.Sleep(20 * time.Millisecond)
					return nil
				})
				if err != nil {
					t.Errorf("busy: %v", err)
					return
				}
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	time.Sleep(50 * time.Millisecond) // let the load build up
	for i := range 5 {
		// Starvation shows as ErrUnavailable at the deadline.
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := other.Set(wctx, fmt.Sprint("other/", i), []byte("v"), 0)
		cancel()
		if err != nil {
			t.Fatalf("write %d from the other process: %v", i, err)
		}
	}
}
