package link

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// countingStore counts the calls that reach the backend, so tests can
// assert that a malformed input costs none.
type countingStore struct {
	store.Store
	gets, sets atomic.Int64
	// collide makes the first n SetIfAbsent calls report an existing key.
	collide atomic.Int64
}

func (s *countingStore) Get(ctx context.Context, key string) ([]byte, error) {
	s.gets.Add(1)
	return s.Store.Get(ctx, key)
}

func (s *countingStore) SetIfAbsent(ctx context.Context, key string, v []byte, ttl time.Duration) (bool, error) {
	s.sets.Add(1)
	if s.collide.Add(-1) >= 0 {
		return false, nil
	}
	return s.Store.SetIfAbsent(ctx, key, v, ttl)
}

func newStore(t testing.TB) *countingStore {
	t.Helper()
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &countingStore{Store: st}
}
