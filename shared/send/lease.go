package send

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
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

// leaseKeeper owns the lease from acquisition to release: it renews it
// every quarter TTL in its own goroutine, from the moment it is taken (the
// manifest load and the re-read of a CSV head run under it too), and is the
// only one to decide that it is lost.
type leaseKeeper struct {
	l      *lease
	log    *slog.Logger
	every  time.Duration
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	isLost bool
	onLost []func()
}

// keepLease starts renewing l until release.
func keepLease(ctx context.Context, l *lease, log *slog.Logger) *leaseKeeper {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	k := &leaseKeeper{l: l, log: log, every: l.ttl / 4, cancel: cancel, done: make(chan struct{})}
	go k.loop(ctx)
	return k
}

// loop renews the lease. Only another owner's token means it is lost; a
// store error is retried (faster) until the lease could expire before the
// next try, because stopping a job for a blip costs a resume and, for the
// rows in flight, a second message.
func (k *leaseKeeper) loop(ctx context.Context) {
	defer close(k.done)
	retry := max(k.every/8, 10*time.Millisecond)
	t := time.NewTimer(k.every)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := k.l.renew(ctx)
		switch {
		case err == nil:
			lastOK = time.Now()
			t.Reset(k.every)
		case ctx.Err() != nil:
			return
		case errors.Is(err, ErrLeaseLost):
			k.log.Error("send-sms: another invocation holds the lease now; stopping at once", "err", err)
			k.lose()
			return
		case time.Since(lastOK)+2*retry >= k.l.ttl:
			// The lease may lapse before another try could renew it:
			// someone else may take the job, so stop sending.
			k.log.Error("send-sms: lease not renewed for almost its TTL; stopping", "err", err, "since", time.Since(lastOK))
			k.lose()
			return
		default:
			k.log.Warn("send-sms: lease renewal failed; retrying", "err", err)
			t.Reset(retry)
		}
	}
}

func (k *leaseKeeper) lose() {
	k.mu.Lock()
	k.isLost = true
	fns := k.onLost
	k.onLost = nil
	k.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// whenLost calls f once if the lease is lost (at once if it already is).
func (k *leaseKeeper) whenLost(f func()) {
	k.mu.Lock()
	if k.isLost {
		k.mu.Unlock()
		f()
		return
	}
	k.onLost = append(k.onLost, f)
	k.mu.Unlock()
}

func (k *leaseKeeper) lost() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.isLost
}

// release stops renewing and deletes the lease if it is still ours.
func (k *leaseKeeper) release(ctx context.Context) error {
	k.cancel()
	<-k.done
	return k.l.release(ctx)
}
