package send

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// lease keeps one invocation of a job running at a time. The store offers
// create-if-absent but no compare-and-swap, so renewal reads, compares the
// owner token and writes: two owners can only overlap if one stalls for a
// whole TTL between the read and the write, and then the stalled one sees
// the other's token at its next renewal and stops.
type lease struct {
	st    store.Store
	key   string
	token []byte
	ttl   time.Duration
}

func leaseKey(jobID string) string { return "send/lease/" + jobID }

// acquireLease returns the lease, or nil if another owner holds it.
func acquireLease(ctx context.Context, st store.Store, jobID string, ttl time.Duration) (*lease, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("lease token: %w", err)
	}
	l := &lease{st: st, key: leaseKey(jobID), token: []byte(hex.EncodeToString(b[:])), ttl: ttl}
	ok, err := st.SetIfAbsent(ctx, l.key, l.token, ttl)
	if err != nil {
		return nil, fmt.Errorf("acquire lease: %w", err)
	}
	if !ok {
		return nil, nil
	}
	return l, nil
}

// renew extends the lease; ErrLeaseLost if someone else holds it now.
func (l *lease) renew(ctx context.Context) error {
	cur, err := l.st.Get(ctx, l.key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Expired without a new owner: take it back atomically.
		ok, err := l.st.SetIfAbsent(ctx, l.key, l.token, l.ttl)
		if err != nil {
			return fmt.Errorf("renew lease: %w", err)
		}
		if !ok {
			return ErrLeaseLost
		}
		return nil
	case err != nil:
		return fmt.Errorf("renew lease: %w", err)
	case !bytes.Equal(cur, l.token):
		return ErrLeaseLost
	}
	if err := l.st.Set(ctx, l.key, l.token, l.ttl); err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	return nil
}

// release deletes the lease if it is still ours.
func (l *lease) release(ctx context.Context) error {
	cur, err := l.st.Get(ctx, l.key)
	if err != nil || !bytes.Equal(cur, l.token) {
		return nil
	}
	return l.st.Delete(ctx, l.key)
}
