package store

import (
	"errors"
	"fmt"
	"time"
)

// Error kinds besides ErrNotFound. Backends wrap them with context, so callers
// test them with errors.Is.
var (
	// ErrConfig means the store URL or its credentials are wrong; retrying
	// will not help, the configuration (STORE_URL) must change.
	ErrConfig = errors.New("store: bad configuration")
	// ErrUnavailable means the backend could not be reached or locked in time
	// (network, lock held by another process); a later retry may succeed.
	ErrUnavailable = errors.New("store: backend unavailable")
	// ErrInvalidArgument means the call itself was wrong: an empty or too long
	// key, or a negative TTL.
	ErrInvalidArgument = errors.New("store: invalid argument")
	// ErrCorrupt means stored bytes could not be decoded.
	ErrCorrupt = errors.New("store: corrupt record")
	// ErrClosed is returned by operations on a closed Store.
	ErrClosed = errors.New("store: closed")
)

// MaxKeyLen is the longest key, in bytes, that every backend accepts. It
// leaves room under the tightest backend limit (COS object names) for a
// prefix.
const MaxKeyLen = 512

// checkKey rejects keys that some backend cannot store, so that every
// backend refuses the same keys instead of failing in its own way.
func checkKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalidArgument)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: key of %d bytes exceeds %d", ErrInvalidArgument, len(key), MaxKeyLen)
	}
	return nil
}

// checkTTL rejects negative TTLs, which Redis refuses and which would
// otherwise mean "already expired" in some backends and an error in others.
func checkTTL(ttl time.Duration) error {
	if ttl < 0 {
		return fmt.Errorf("%w: negative ttl %v", ErrInvalidArgument, ttl)
	}
	return nil
}

// checkWrite validates the arguments of Set and SetIfAbsent.
func checkWrite(key string, ttl time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	return checkTTL(ttl)
}
