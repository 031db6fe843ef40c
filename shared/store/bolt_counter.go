package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// cntBucket holds one sub-bucket per counter key: field → 8-byte big-endian
// total, plus the key's expiry under cntExpiry (no field can be that name).
var (
	cntBucket = []byte("cnt")
	cntExpiry = []byte("\x00expiry")
)

// Incr adds in one write transaction; bbolt admits one writer per file, so
// processes sharing the file cannot interleave between the read and the write.
func (s *boltStore) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	if err := checkIncr(key, field, ttl); err != nil {
		return err
	}
	return s.update(ctx, "incr", func(tx *bolt.Tx, now int64) (bool, error) {
		root, err := tx.CreateBucketIfNotExists(cntBucket)
		if err != nil {
			return false, err
		}
		b := root.Bucket([]byte(key))
		if b != nil && counterExpired(b, now) {
			if err := root.DeleteBucket([]byte(key)); err != nil {
				return false, err
			}
			b = nil
		}
		if b == nil {
			if b, err = root.CreateBucket([]byte(key)); err != nil {
				return false, err
			}
		}
		var total int64
		if v := b.Get([]byte(field)); len(v) == 8 {
			total = int64(binary.BigEndian.Uint64(v))
		}
		if err := b.Put([]byte(field), binary.BigEndian.AppendUint64(nil, uint64(total+delta))); err != nil {
			return false, err
		}
		return true, b.Put(cntExpiry, binary.BigEndian.AppendUint64(nil, uint64(expiryAt(now, ttl))))
	})
}

func (s *boltStore) Counts(ctx context.Context, key string) (map[string]int64, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.ready(ctx); err != nil {
		return nil, fmt.Errorf("store: bolt counts: %w", err)
	}
	out := make(map[string]int64)
	err := s.f.with(ctx, func(db *bolt.DB) error {
		return db.View(func(tx *bolt.Tx) error {
			root := tx.Bucket(cntBucket)
			if root == nil {
				return nil
			}
			b := root.Bucket([]byte(key))
			if b == nil || counterExpired(b, s.now().UnixNano()) {
				return nil
			}
			return b.ForEach(func(k, v []byte) error {
				if string(k) == string(cntExpiry) {
					return nil
				}
				if len(v) != 8 {
					return fmt.Errorf("%w: bolt counter field %q is %d bytes", ErrCorrupt, k, len(v))
				}
				out[string(k)] = int64(binary.BigEndian.Uint64(v))
				return nil
			})
		})
	})
	if err != nil {
		if errors.Is(err, ErrCorrupt) {
			return nil, err
		}
		return nil, fmt.Errorf("store: bolt counts: %w", err)
	}
	return out, nil
}

func counterExpired(b *bolt.Bucket, now int64) bool {
	v := b.Get(cntExpiry)
	return len(v) == 8 && recordExpired(int64(binary.BigEndian.Uint64(v)), now)
}
