package store

import (
	"context"
	"fmt"
	"time"
)

// Counter is a capability every backend here has: named integer fields
// under a key, each increment one write with no read-modify-write by the
// caller, so many instances can count the same event at once and lose
// nothing. It is what the funnel counts opens and jumps with.
//
// Counter keys live in their own namespace: a counter "k" never collides
// with a value stored by Set under "k".
type Counter interface {
	// Incr adds delta to field of key. Every increment is kept by Counts for
	// at least ttl after it was made (0: until deleted); a key left alone
	// for longer than ttl may read as empty.
	Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error
	// Counts returns every field of key with its total. An absent or expired
	// key gives an empty map and no error.
	Counts(ctx context.Context, key string) (map[string]int64, error)
}

// AsCounter returns s's Counter capability, if it has one.
func AsCounter(s Store) (Counter, bool) {
	c, ok := s.(Counter)
	return c, ok
}

// MaxFieldLen is the longest counter field, in bytes.
const MaxFieldLen = 128

// checkField accepts fields that every backend can store and give back
// verbatim: printable ASCII without '/', '%' and '~', so that a COS object
// name carries the field as it is (see cos_counter.go).
func checkField(field string) error {
	if field == "" || len(field) > MaxFieldLen {
		return fmt.Errorf("%w: counter field must be 1–%d bytes, got %d", ErrInvalidArgument, MaxFieldLen, len(field))
	}
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c <= ' ' || c >= 0x7f || c == '/' || c == '%' || c == '~' {
			return fmt.Errorf("%w: counter field %q: byte %q not allowed (printable ASCII except space / %% ~)",
				ErrInvalidArgument, field, c)
		}
	}
	return nil
}

// checkIncr validates the arguments of Incr.
func checkIncr(key, field string, ttl time.Duration) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := checkField(field); err != nil {
		return err
	}
	return checkTTL(ttl)
}
