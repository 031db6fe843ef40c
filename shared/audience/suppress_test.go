package audience

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestListAddRemoveLoad(t *testing.T) {
	for name, sts := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			c := &clock{t: bj("2026-03-01", "10:00")}
			l := NewList(sts[0], c.now)
			a, b, r := key(t, "+8613800138000"), key(t, "+8613900139000"), key(t, "+8615000150000")
			n, err := l.Add(ctx, []Entry{{Key: a, Source: SourceUpload, Via: "suppress/vip.csv"}, {Key: b, Source: SourceBlacklist, Via: "spring"}, {Key: a, Source: SourceUpload, Via: "suppress/vip.csv"}})
			if err != nil || n != 2 {
				t.Fatalf("Add = %d, %v; want 2 new", n, err)
			}
			if _, err := l.Add(ctx, []Entry{{Key: r, Source: SourceReply, Via: "spring"}}); err != nil {
				t.Fatal(err)
			}
			// A later upload of a replied number keeps it a reply opt-out.
			if n, err := l.Add(ctx, []Entry{{Key: r, Source: SourceUpload, Via: "suppress/x.csv"}}); err != nil || n != 0 {
				t.Fatalf("re-Add = %d, %v", n, err)
			}
			e, ok, err := NewList(sts[1], c.now).Lookup(ctx, r)
			if err != nil || !ok || e.Source != SourceReply || e.Via != "spring" || e.Time != c.now().Unix() {
				t.Fatalf("Lookup = %+v, %v, %v", e, ok, err)
			}
			set, err := NewList(sts[1], c.now).Load(ctx)
			if err != nil || set.Len() != 3 || !set.HasKey(a) || !set.HasKey(b) || !set.HasKey(r) {
				t.Fatalf("Load = %v (%d), %v", set, set.Len(), err)
			}
			removed, kept, err := l.Remove(ctx, []uint64{a, r, key(t, "+8618600186000")})
			if err != nil || len(removed) != 1 || removed[0].Key != a || len(kept) != 1 || kept[0].Key != r {
				t.Fatalf("Remove = %v, %v, %v", removed, kept, err)
			}
			set, _ = l.Load(ctx)
			if set.Len() != 2 || set.HasKey(a) || !set.HasKey(r) {
				t.Fatalf("after Remove: %d numbers, has a=%v r=%v", set.Len(), set.HasKey(a), set.HasKey(r))
			}
		})
	}
}

// TestListConcurrentWriters: many writers through two store handles add
// numbers at once; none is lost. Without the shard lock, read-modify-write
// of a shard drops concurrent additions.
func TestListConcurrentWriters(t *testing.T) {
	for name, sts := range openStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const writers, each = 8, 25
			// Numbers of two shards only, so writers collide.
			var keys []uint64
			for k := uint64(8613800000000); len(keys) < writers*each; k++ {
				if shardOf(k) < 2 {
					keys = append(keys, k)
				}
			}
			var wg sync.WaitGroup
			errs := make(chan error, writers)
			for w := range writers {
				l := NewList(sts[w%2], nil)
				wg.Go(func() {
					for i := range each {
						k := keys[w*each+i]
						if _, err := l.Add(ctx, []Entry{{Key: k, Source: SourceReply}}); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			set, err := NewList(sts[0], nil).Load(ctx)
			if err != nil || set.Len() != writers*each {
				t.Fatalf("Load: %d numbers, %v; want %d", set.Len(), err, writers*each)
			}
		})
	}
}

func TestListLargeUpload(t *testing.T) {
	sts := openStores(t)["bolt"]
	ctx := context.Background()
	l := NewList(sts[0], nil)
	const n = 200_000
	add := make([]Entry, n)
	for i := range add {
		add[i] = Entry{Key: nthPhone(i), Source: SourceUpload, Via: "suppress/big.csv"}
	}
	start := time.Now()
	got, err := l.Add(ctx, add)
	if err != nil || got != n {
		t.Fatalf("Add = %d, %v", got, err)
	}
	t.Logf("added %d in %v", n, time.Since(start))
	set, err := l.Load(ctx)
	if err != nil || set.Len() != n {
		t.Fatalf("Load = %d, %v", set.Len(), err)
	}
	for i := 0; i < n; i += 997 {
		if !set.HasKey(nthPhone(i)) {
			t.Fatalf("number %d missing", i)
		}
	}
}

func TestShardCorrupt(t *testing.T) {
	s := shard{{Key: 8613800138000, Time: 1, Source: SourceReply, Via: "x"}}
	b := s.encode()
	for i := range len(b) {
		if _, err := decodeShard(b[:i], nil); err == nil {
			t.Fatalf("truncated at %d decoded", i)
		}
	}
	got, err := decodeShard(b, nil)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(s) {
		t.Fatalf("round trip: %v, %v", got, err)
	}
}
