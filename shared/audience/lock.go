package audience

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// lockTTL bounds how long a crashed writer blocks a shard: updates are one
// read and one write, far shorter.
const lockTTL = 15 * time.Second

// ErrBusy means a shard stayed locked by another writer for too long.
var ErrBusy = errors.New("audience: list is being updated by another writer; try again")

// withLock runs fn holding the store lock key. The store has no
// compare-and-swap, so read-modify-write of a shared value needs a lock;
// SetIfAbsent with a TTL is one that a crashed holder cannot keep forever.
func withLock(ctx context.Context, st store.Store, key string, wait time.Duration, fn func() error) error {
	var tok [8]byte
	_, _ = crand.Read(tok[:])
	me := []byte(hex.EncodeToString(tok[:]))
	deadline := time.Now().Add(wait)
	delay := 5 * time.Millisecond
	for {
		ok, err := st.SetIfAbsent(ctx, key, me, lockTTL)
		if err != nil {
			return fmt.Errorf("lock %s: %w", key, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("lock %s: %w", key, ErrBusy)
		}
		t := time.NewTimer(delay/2 + rand.N(delay/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
	ferr := fn()
	// Only our own lock is released; after an overlong fn the TTL may have
	// handed it to someone else.
	if cur, err := st.Get(context.WithoutCancel(ctx), key); err == nil && string(cur) == string(me) {
		_ = st.Delete(context.WithoutCancel(ctx), key)
	}
	return ferr
}
