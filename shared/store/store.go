// Package store is the small key-value state the functions share: tokens,
// scheme cache, campaigns, links, job leases and checkpoints. Values are bytes
// with an optional TTL; SetIfAbsent is an atomic create. A backend is chosen by
// URL (mem://, bolt:///path, redis://…, cos://bucket-appid/prefix?region=…).
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by Get when the key is absent or expired.
var ErrNotFound = errors.New("store: not found")

// Store is what every backend implements. Implementations are safe for
// concurrent use. A ttl of 0 means the value does not expire. Errors other
// than ErrNotFound wrap a kind from errors.go (ErrConfig, ErrUnavailable,
// ErrInvalidArgument, ErrCorrupt, ErrClosed) or the context's error; the
// package storetest checks every backend against this contract.
type Store interface {
	// Get returns the value of key, or ErrNotFound if it is absent or expired.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set writes value under key, replacing any previous value.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetIfAbsent writes value only if key is absent (or expired) and reports
	// whether it did. Among concurrent callers exactly one gets true.
	SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// Close releases the backend's resources.
	Close() error
}
