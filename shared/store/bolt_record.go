package store

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// A bolt record is what the kv bucket holds under a key:
//
//	[0]    format version (recordV1)
//	[1:9]  expiry as Unix nanoseconds, big-endian; 0 means no expiry
//	[9:]   the value
//
// The file outlives deployments, so the layout is fixed; testdata/record-v1.bin
// pins it.
const (
	recordV1      = 1
	recordHdrSize = 9
)

// encodeRecord lays out a record; expiry is Unix nanoseconds, 0 for none.
func encodeRecord(expiry int64, value []byte) []byte {
	b := make([]byte, recordHdrSize+len(value))
	b[0] = recordV1
	binary.BigEndian.PutUint64(b[1:9], uint64(expiry))
	copy(b[recordHdrSize:], value)
	return b
}

// decodeRecord splits a record. The returned value aliases b.
func decodeRecord(b []byte) (expiry int64, value []byte, err error) {
	if len(b) < recordHdrSize {
		return 0, nil, fmt.Errorf("%w: %d bytes, shorter than the %d-byte header", ErrCorrupt, len(b), recordHdrSize)
	}
	if b[0] != recordV1 {
		return 0, nil, fmt.Errorf("%w: unknown record version %d", ErrCorrupt, b[0])
	}
	expiry = int64(binary.BigEndian.Uint64(b[1:9]))
	if expiry < 0 {
		return 0, nil, fmt.Errorf("%w: negative expiry", ErrCorrupt)
	}
	return expiry, b[recordHdrSize:], nil
}

// expiryAt turns a TTL into a record expiry; 0 means none. A TTL too large
// for int64 nanoseconds saturates instead of wrapping into the past.
func expiryAt(now int64, ttl time.Duration) int64 {
	if ttl <= 0 {
		return 0
	}
	if e := now + int64(ttl); e > now {
		return e
	}
	return math.MaxInt64
}

// recordExpired reports whether a record with this expiry is gone at now.
func recordExpired(expiry, now int64) bool {
	return expiry != 0 && now >= expiry
}

// expiryKey is the key in the exp bucket: expiry first, so a cursor walks
// entries in the order they expire and the sweep stops at the first live one.
func expiryKey(expiry int64, key string) []byte {
	b := make([]byte, 8+len(key))
	binary.BigEndian.PutUint64(b, uint64(expiry))
	copy(b[8:], key)
	return b
}

// splitExpiryKey undoes expiryKey; ok is false for a malformed index entry.
func splitExpiryKey(b []byte) (expiry int64, key []byte, ok bool) {
	if len(b) < 8 {
		return 0, nil, false
	}
	return int64(binary.BigEndian.Uint64(b)), b[8:], true
}
