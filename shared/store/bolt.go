package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	// kvBucket maps a key to its record (see bolt_record.go).
	kvBucket = []byte("kv")
	// expBucket indexes keys that have a TTL by expiry, so writes can drop
	// expired records without scanning the whole file.
	expBucket = []byte("exp")
)

// boltSweepLimit bounds how many expired records one write removes, so a
// write never pays for a long backlog at once.
const boltSweepLimit = 64

// boltStore is the embedded backend: one bbolt file that several processes
// may use at the same time (see bolt_handle.go for how).
type boltStore struct {
	f      *boltFile
	now    func() time.Time
	closed atomic.Bool
}

func openBolt(ctx context.Context, u *url.URL, o options) (Store, error) {
	path, err := boltPath(u)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("%w: bolt file %s: %w; make its directory writable or choose another path in STORE_URL",
			ErrConfig, path, err)
	}
	s := &boltStore{f: refBoltFile(path, o.logger), now: o.now}
	// Create the buckets now, so that a path that is not writable or a file
	// that is not a bolt file fails at startup rather than on first use.
	if err := s.f.with(ctx, initBuckets); err != nil {
		s.Close()
		if errors.Is(err, ErrUnavailable) || ctx.Err() != nil {
			return nil, fmt.Errorf("store: open bolt: %w", err)
		}
		return nil, fmt.Errorf("%w: %w; check the path in STORE_URL", ErrConfig, err)
	}
	return s, nil
}

// boltPath extracts the file path from bolt:///abs/path or bolt://./rel/path.
func boltPath(u *url.URL) (string, error) {
	const forms = "use bolt:///abs/path/state.db or bolt://./relative/state.db"
	var p string
	switch {
	case u.Opaque != "":
		return "", fmt.Errorf("%w: bolt URL %q has no //; %s", ErrConfig, redactedURL(u), forms)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%w: bolt URL %q takes no user, query or fragment; %s", ErrConfig, redactedURL(u), forms)
	case u.Host == "":
		p = u.Path
	case u.Host == "." || u.Host == "..":
		p = u.Host + u.Path
	default:
		return "", fmt.Errorf("%w: bolt URL %q names host %q; %s", ErrConfig, redactedURL(u), u.Host, forms)
	}
	if p == "" || p == "/" || strings.HasSuffix(p, "/") || p == "." || p == ".." {
		return "", fmt.Errorf("%w: bolt URL %q names no file; %s", ErrConfig, redactedURL(u), forms)
	}
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return "", fmt.Errorf("%w: bolt path %q: %w", ErrConfig, p, err)
	}
	return abs, nil
}

func initBuckets(db *bolt.DB) error {
	tx, err := db.Begin(true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if tx.Bucket(kvBucket) != nil && tx.Bucket(expBucket) != nil {
		return nil // nothing to write: skip the commit and its fsync
	}
	for _, name := range [][]byte{kvBucket, expBucket} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ready checks what every operation checks first.
func (s *boltStore) ready(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

func (s *boltStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.ready(ctx); err != nil {
		return nil, fmt.Errorf("store: bolt get: %w", err)
	}
	var out []byte
	err := s.f.with(ctx, func(db *bolt.DB) error {
		return db.View(func(tx *bolt.Tx) error {
			kv := tx.Bucket(kvBucket)
			if kv == nil {
				return ErrNotFound // file replaced by an empty one
			}
			rec := kv.Get([]byte(key))
			if rec == nil {
				return ErrNotFound
			}
			expiry, v, err := decodeRecord(rec)
			if err != nil {
				return err
			}
			if recordExpired(expiry, s.now().UnixNano()) {
				return ErrNotFound // left for a later write's sweep
			}
			// Copy: bbolt's memory is valid only inside the transaction.
			out = append(make([]byte, 0, len(v)), v...)
			return nil
		})
	})
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("store: bolt get: %w", err)
	}
	return out, nil
}

func (s *boltStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkWrite(key, ttl); err != nil {
		return err
	}
	return s.update(ctx, "set", func(tx *bolt.Tx, now int64) (bool, error) {
		return true, put(tx, key, value, expiryAt(now, ttl))
	})
}

func (s *boltStore) SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := checkWrite(key, ttl); err != nil {
		return false, err
	}
	var created bool
	err := s.update(ctx, "set-if-absent", func(tx *bolt.Tx, now int64) (bool, error) {
		// Read and write in one write transaction: bbolt allows one writer
		// per file at a time, so no other goroutine or process can slip in
		// between. An expired record counts as absent.
		if kv := tx.Bucket(kvBucket); kv != nil {
			if rec := kv.Get([]byte(key)); rec != nil {
				expiry, _, err := decodeRecord(rec)
				if err != nil {
					return false, err
				}
				if !recordExpired(expiry, now) {
					return false, nil
				}
			}
		}
		created = true
		return true, put(tx, key, value, expiryAt(now, ttl))
	})
	return created, err
}

func (s *boltStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return s.update(ctx, "delete", func(tx *bolt.Tx, now int64) (bool, error) {
		kv := tx.Bucket(kvBucket)
		if kv == nil || kv.Get([]byte(key)) == nil {
			return false, nil
		}
		if err := unindex(tx, kv, key); err != nil {
			return false, err
		}
		return true, kv.Delete([]byte(key))
	})
}

// Close releases this Store's share of the file; the file lock is already
// released whenever no operation is running.
func (s *boltStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.f.unref()
	return nil
}

// update runs fn in a write transaction. fn reports whether it changed
// anything; if not, the transaction is rolled back, which skips bbolt's two
// fsyncs (a losing SetIfAbsent or a Delete of a missing key costs a read).
func (s *boltStore) update(ctx context.Context, op string, fn func(tx *bolt.Tx, now int64) (bool, error)) error {
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("store: bolt %s: %w", op, err)
	}
	err := s.f.with(ctx, func(db *bolt.DB) error {
		tx, err := db.Begin(true)
		if err != nil {
			return err
		}
		defer tx.Rollback() // no-op after Commit
		now := s.now().UnixNano()
		changed, err := fn(tx, now)
		if err != nil || !changed {
			return err
		}
		if err := sweep(tx, now, boltSweepLimit); err != nil {
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return fmt.Errorf("store: bolt %s: %w", op, err)
	}
	return nil
}

// put writes a record and keeps the expiry index in step.
func put(tx *bolt.Tx, key string, value []byte, expiry int64) error {
	kv, err := tx.CreateBucketIfNotExists(kvBucket)
	if err != nil {
		return err
	}
	if err := unindex(tx, kv, key); err != nil {
		return err
	}
	if err := kv.Put([]byte(key), encodeRecord(expiry, value)); err != nil {
		return err
	}
	if expiry == 0 {
		return nil
	}
	exp, err := tx.CreateBucketIfNotExists(expBucket)
	if err != nil {
		return err
	}
	return exp.Put(expiryKey(expiry, key), nil)
}

// unindex removes the expiry index entry of key's current record, if any.
// An undecodable record has no index entry worth finding; it is overwritten.
func unindex(tx *bolt.Tx, kv *bolt.Bucket, key string) error {
	rec := kv.Get([]byte(key))
	if rec == nil {
		return nil
	}
	expiry, _, err := decodeRecord(rec)
	if err != nil || expiry == 0 {
		return nil
	}
	if exp := tx.Bucket(expBucket); exp != nil {
		return exp.Delete(expiryKey(expiry, key))
	}
	return nil
}

// sweep deletes up to limit records whose expiry has passed, oldest first.
func sweep(tx *bolt.Tx, now int64, limit int) error {
	exp, kv := tx.Bucket(expBucket), tx.Bucket(kvBucket)
	if exp == nil || kv == nil {
		return nil
	}
	// Collect first: deleting under a bbolt cursor skips entries.
	var dead [][]byte
	c := exp.Cursor()
	for k, _ := c.First(); k != nil && len(dead) < limit; k, _ = c.Next() {
		if expiry, _, ok := splitExpiryKey(k); ok && !recordExpired(expiry, now) {
			break
		}
		dead = append(dead, append([]byte(nil), k...))
	}
	for _, k := range dead {
		if err := exp.Delete(k); err != nil {
			return err
		}
		expiry, key, ok := splitExpiryKey(k)
		if !ok {
			continue
		}
		// The record may have been rewritten with another expiry since;
		// only delete the one this index entry points at.
		if rec := kv.Get(key); rec != nil {
			if e, _, err := decodeRecord(rec); err == nil && e == expiry {
				if err := kv.Delete(key); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
