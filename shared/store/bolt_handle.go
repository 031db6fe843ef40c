package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Why the bolt file is opened per operation, not once per process:
//
// bbolt takes an exclusive flock on the file for as long as a DB is open, and
// the local emulator runs three function processes (plus itself) on one file.
// A process that kept the DB open would lock the others out for its whole
// life. So a boltFile opens the DB when an operation starts and closes it when
// the last in-flight operation of this process ends; goroutines that arrive
// while it is open share the handle instead of queueing on the file lock.
//
// Measured on the dev box (2 vCPU, ext4; BenchmarkGet, BenchmarkSet and
// BenchmarkGetParallel in this package): open+read+close costs ~30–60 µs
// against ~2–15 µs with the DB kept open; open+write+close takes 0.4–2.5 ms
// depending on disk load, about what a kept-open write takes, since bbolt's
// fsyncs dominate. Parallel readers in one process share the handle
// (~1.5–2.5 µs per Get). A
// get-scheme request makes a few store calls, so the per-call open costs
// well under a millisecond; keeping the handle open (or lingering after the
// last call) would save that only by locking the other processes out.
//
// bbolt's own lock wait polls every 50 ms; we ask it to try once
// (Timeout: 1ns) and poll ourselves with a short, jittered backoff up to the
// caller's deadline, so a waiting process gets in within milliseconds.
const (
	// boltDefaultLockWait bounds the wait for the file lock when the caller's
	// context has no deadline.
	boltDefaultLockWait = 30 * time.Second
	// boltMaxHold: once a handle has been open this long, new operations stop
	// joining it, so a busy process lets the others in.
	boltMaxHold = 100 * time.Millisecond
	// boltYield is how long a process waits before reopening after such a
	// forced close; longer than boltMaxBackoff so a polling peer wins.
	boltYield = 10 * time.Millisecond
	// boltMinBackoff and boltMaxBackoff bound the lock poll interval.
	boltMinBackoff = 500 * time.Microsecond
	boltMaxBackoff = 5 * time.Millisecond
	// boltSlowLock is the lock wait worth a log line.
	boltSlowLock = time.Second
)

// boltFile coordinates one process's access to one bolt file. There is one per
// path (see boltFiles), shared by every Store opened on that path.
type boltFile struct {
	path string
	log  *slog.Logger

	mu       sync.Mutex
	refs     int           // Stores using this boltFile
	db       *bolt.DB      // open handle, or nil
	users    int           // operations using db
	openedAt time.Time     // when db was opened
	draining bool          // db is past boltMaxHold: no new users
	closed   chan struct{} // closed when db is closed
	opening  chan struct{} // non-nil while one goroutine opens the file
	yield    time.Time     // do not reopen before this (after a forced close)
}

// boltFiles maps a cleaned absolute path to its boltFile, so two Stores on
// one file in one process share a handle instead of fighting over the lock.
var boltFiles = struct {
	sync.Mutex
	m map[string]*boltFile
}{m: make(map[string]*boltFile)}

// refBoltFile returns the boltFile for path, creating it if needed.
func refBoltFile(path string, log *slog.Logger) *boltFile {
	boltFiles.Lock()
	defer boltFiles.Unlock()
	f := boltFiles.m[path]
	if f == nil {
		f = &boltFile{path: path, log: log}
		boltFiles.m[path] = f
	}
	f.mu.Lock()
	f.refs++
	f.mu.Unlock()
	return f
}

// unref drops a Store's reference. An operation still in flight keeps the
// handle until it ends; release closes it then.
func (f *boltFile) unref() {
	boltFiles.Lock()
	defer boltFiles.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refs--
	if f.refs == 0 && boltFiles.m[f.path] == f {
		delete(boltFiles.m, f.path)
	}
}

// with runs fn with an open DB, holding the file lock only for its duration.
func (f *boltFile) with(ctx context.Context, fn func(*bolt.DB) error) error {
	db, err := f.acquire(ctx)
	if err != nil {
		return err
	}
	defer f.release()
	return fn(db)
}

func (f *boltFile) acquire(ctx context.Context) (*bolt.DB, error) {
	for {
		f.mu.Lock()
		if f.db != nil && !f.draining {
			if time.Since(f.openedAt) < boltMaxHold {
				f.users++
				db := f.db
				f.mu.Unlock()
				return db, nil
			}
			f.draining = true
		}
		var wait chan struct{}
		switch {
		case f.db != nil:
			wait = f.closed
		case f.opening != nil:
			wait = f.opening
		}
		if wait != nil {
			f.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, fmt.Errorf("wait for bolt handle: %w", ctx.Err())
			}
		}

		opening := make(chan struct{})
		f.opening = opening
		yield := f.yield
		f.mu.Unlock()

		db, err := f.lock(ctx, yield)

		f.mu.Lock()
		f.opening = nil
		close(opening)
		if err != nil {
			f.mu.Unlock()
			return nil, err
		}
		f.db, f.users, f.openedAt, f.draining = db, 1, time.Now(), false
		f.closed = make(chan struct{})
		f.mu.Unlock()
		return db, nil
	}
}

func (f *boltFile) release() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users--
	if f.users > 0 {
		return
	}
	if f.draining {
		f.yield = time.Now().Add(boltYield)
	}
	// Close under f.mu: a goroutine that reopened between our Close and
	// funlock would only find the file locked by ourselves.
	if err := f.db.Close(); err != nil {
		f.log.Warn("bolt store: close", "path", f.path, "err", err)
	}
	f.db, f.draining = nil, false
	close(f.closed)
}

// lock opens the DB, polling for the file lock until ctx ends (or
// boltDefaultLockWait without a deadline).
func (f *boltFile) lock(ctx context.Context, yield time.Time) (*bolt.DB, error) {
	if !sleepCtx(ctx, time.Until(yield)) {
		return nil, fmt.Errorf("wait for bolt lock: %w", ctx.Err())
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, boltDefaultLockWait)
		defer cancel()
	}
	start := time.Now()
	backoff := boltMinBackoff
	for {
		db, err := bolt.Open(f.path, 0o600, &bolt.Options{Timeout: time.Nanosecond})
		if err == nil {
			if waited := time.Since(start); waited > boltSlowLock {
				f.log.Warn("bolt store: slow file lock", "path", f.path, "waited", waited)
			}
			return db, nil
		}
		if !errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open bolt file %s: %w", f.path, err)
		}
		// Full jitter: peers polling in step would keep colliding.
		if !sleepCtx(ctx, rand.N(backoff)+1) {
			return nil, fmt.Errorf("%w: bolt file %s stayed locked by another process for %v: %w",
				ErrUnavailable, f.path, time.Since(start).Round(time.Millisecond), ctx.Err())
		}
		backoff = min(2*backoff, boltMaxBackoff)
	}
}

// sleepCtx sleeps for d unless ctx ends first; it reports whether ctx is
// still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
