package audience

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/store"
)

// shards splits the list so that one reply rewrites ~1/256 of it and a
// job loads it in 256 reads.
const shards = 256

// loadParallel is how many shard reads a job makes at once.
const loadParallel = 16

// List is the account's suppression list in the store. Safe for concurrent
// use, also across processes: writers lock the shard they rewrite.
type List struct {
	st   store.Store
	now  func() time.Time
	wait time.Duration
}

// NewList returns the list kept in st; now defaults to time.Now.
func NewList(st store.Store, now func() time.Time) *List {
	if now == nil {
		now = time.Now
	}
	return &List{st: st, now: now, wait: 20 * time.Second}
}

func shardKey(i int) string { return fmt.Sprintf("audience/suppress/%02x", i) }

// shardOf spreads numbers over shards; numbers share prefixes, so mix first.
func shardOf(k uint64) int {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return int(k & (shards - 1))
}

// Add puts entries on the list (a zero Time means now) and reports how many
// numbers were not on it before.
func (l *List) Add(ctx context.Context, entries []Entry) (int, error) {
	now := l.now().Unix()
	by := make([][]Entry, shards)
	for _, e := range entries {
		if e.Key == 0 {
			continue
		}
		if e.Time == 0 {
			e.Time = now
		}
		i := shardOf(e.Key)
		by[i] = append(by[i], e)
	}
	return upsertShards(ctx, l, by, func(add []Entry) []Entry {
		slices.SortStableFunc(add, func(a, b Entry) int { return cmpU64(a.Key, b.Key) })
		// The last entry of a number wins within one call.
		return compactLast(add)
	})
}

// AddKeys is Add for many numbers of one source and origin (an operator's
// upload), without an Entry per number in memory at once.
func (l *List) AddKeys(ctx context.Context, keys []uint64, src Source, via string) (int, error) {
	now := l.now().Unix()
	by := make([][]uint64, shards)
	for _, k := range keys {
		if k != 0 {
			by[shardOf(k)] = append(by[shardOf(k)], k)
		}
	}
	return upsertShards(ctx, l, by, func(ks []uint64) []Entry {
		slices.Sort(ks)
		ks = slices.Compact(ks)
		add := make([]Entry, len(ks))
		for j, k := range ks {
			add[j] = Entry{Key: k, Time: now, Source: src, Via: via}
		}
		return add
	})
}

// upsertShards writes each shard's part of by, turned into sorted entries
// (one per number) by entries, shards in parallel, and reports how many
// numbers were not on the list before. Add and AddKeys differ only in what
// they start from.
func upsertShards[T any](ctx context.Context, l *List, by [][]T, entries func([]T) []Entry) (int, error) {
	var mu sync.Mutex
	total := 0
	err := eachShard(ctx, by, func(i int, part []T) error {
		add := entries(part)
		return l.update(ctx, i, func(s shard) shard {
			s, n := s.upsert(add)
			mu.Lock()
			total += n
			mu.Unlock()
			return s
		})
	})
	return total, err
}

// Remove takes numbers off the list, except reply opt-outs: only the
// recipient can take back a stop reply, never an operator's upload. It
// returns what it removed and the reply opt-outs it kept.
func (l *List) Remove(ctx context.Context, keys []uint64) (removed, kept []Entry, err error) {
	by := make([][]uint64, shards)
	for _, k := range keys {
		if k != 0 {
			by[shardOf(k)] = append(by[shardOf(k)], k)
		}
	}
	var mu sync.Mutex
	err = eachShard(ctx, by, func(i int, ks []uint64) error {
		slices.Sort(ks)
		return l.update(ctx, i, func(s shard) shard {
			var gone []Entry
			s, gone = s.remove(ks, func(e Entry) bool {
				if e.Source == SourceReply {
					mu.Lock()
					kept = append(kept, e)
					mu.Unlock()
					return true
				}
				return false
			})
			mu.Lock()
			removed = append(removed, gone...)
			mu.Unlock()
			return s
		})
	})
	return removed, kept, err
}

// Lookup returns the entry of one number.
func (l *List) Lookup(ctx context.Context, key uint64) (Entry, bool, error) {
	s, err := l.read(ctx, shardOf(key))
	if err != nil {
		return Entry{}, false, err
	}
	i, ok := slices.BinarySearchFunc(s, key, func(x Entry, k uint64) int { return cmpU64(x.Key, k) })
	if !ok {
		return Entry{}, false, nil
	}
	return s[i], true, nil
}

// Load reads the whole list into a flat set: 256 store reads however long
// the list is, about 6 MB per million numbers (phone.Set).
func (l *List) Load(ctx context.Context) (*phone.Set, error) {
	raw := make([][]byte, shards)
	err := parallel(ctx, shards, loadParallel, func(i int) error {
		b, err := l.st.Get(ctx, shardKey(i))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load suppression list: %w", err)
		}
		raw[i] = b
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := 0
	for _, b := range raw {
		n += shardLen(b)
	}
	set := phone.NewSet(n)
	for i, b := range raw {
		if b == nil {
			continue
		}
		if _, err := decodeShard(b, func(k uint64) { set.AddKey(k) }); err != nil {
			return nil, fmt.Errorf("suppression shard %02x: %w", i, err)
		}
		raw[i] = nil
	}
	return set, nil
}

// Entries returns every entry, for reports and tests.
func (l *List) Entries(ctx context.Context) ([]Entry, error) {
	var out []Entry
	for i := range shards {
		s, err := l.read(ctx, i)
		if err != nil {
			return nil, err
		}
		out = append(out, s...)
	}
	return out, nil
}

func (l *List) read(ctx context.Context, i int) (shard, error) {
	b, err := l.st.Get(ctx, shardKey(i))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read suppression shard: %w", err)
	}
	s, err := decodeShard(b, nil)
	if err != nil {
		return nil, fmt.Errorf("suppression shard %02x: %w", i, err)
	}
	return s, nil
}

// update rewrites shard i under its lock.
func (l *List) update(ctx context.Context, i int, fn func(shard) shard) error {
	return withLock(ctx, l.st, shardKey(i)+".lock", l.wait, func() error {
		s, err := l.read(ctx, i)
		if err != nil {
			return err
		}
		s = fn(s)
		if err := l.st.Set(ctx, shardKey(i), s.encode(), 0); err != nil {
			return fmt.Errorf("write suppression shard: %w", err)
		}
		return nil
	})
}

// eachShard runs fn for every non-empty group, a few shards at a time.
func eachShard[T any](ctx context.Context, by [][]T, fn func(int, []T) error) error {
	return parallel(ctx, len(by), 8, func(i int) error {
		if len(by[i]) == 0 {
			return nil
		}
		return fn(i, by[i])
	})
}

// shardLen reads the entry count of an encoded shard without decoding it.
func shardLen(b []byte) int {
	if b == nil {
		return 0
	}
	return decodeLen(b)
}

// compactLast keeps the last entry of each key of a sorted slice.
func compactLast(s []Entry) []Entry {
	out := s[:0]
	for i, e := range s {
		if i+1 < len(s) && s[i+1].Key == e.Key {
			continue
		}
		out = append(out, e)
	}
	return out
}

// parallel runs fn(0..n-1) with at most width at once and returns the first error.
func parallel(ctx context.Context, n, width int, fn func(int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ferr error
	)
	next := make(chan int)
	for range min(width, n) {
		wg.Go(func() {
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if ferr == nil {
						ferr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		})
	}
loop:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break loop
		}
	}
	close(next)
	wg.Wait()
	if ferr == nil && ctx.Err() != nil {
		ferr = context.Cause(ctx)
	}
	return ferr
}
