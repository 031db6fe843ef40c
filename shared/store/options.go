package store

import (
	"log/slog"
	"time"
)

// Option adjusts how Open builds a Store.
type Option func(*options)

// options is shared by every backend's opener (openMem, openBolt, openRedis…).
type options struct {
	prefix string
	logger *slog.Logger
	now    func() time.Time
}

func buildOptions(opts []Option) options {
	o := options{logger: slog.Default(), now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithKeyPrefix prepends prefix to every key, so that several deployments or
// tests can share one Redis database or bolt file without seeing each other.
func WithKeyPrefix(prefix string) Option {
	return func(o *options) { o.prefix = prefix }
}

// WithLogger sets the logger for backend events (slow lock waits, connection
// problems). Keys, values and credentials are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}

// WithClock replaces time.Now for backends that compute expiry themselves
// (mem, bolt), so tests can move time forward. Redis keeps TTLs on the server
// and ignores it.
func WithClock(now func() time.Time) Option {
	return func(o *options) {
		if now != nil {
			o.now = now
		}
	}
}
