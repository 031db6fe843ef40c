package scheme

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/link"
)

// cacheKey names a target in the store: the hash keeps keys short and free
// of the query's characters whatever the backend. NUL separates fields so
// that ("a","bc") and ("ab","c") differ.
func cacheKey(appID string, t link.Target) string { return targetKey("scheme/v1/", appID, t) }

// urlLinkKey names a target's URL Link in the store.
func urlLinkKey(appID string, t link.Target) string { return targetKey("urllink/v1/", appID, t) }

// targetKey is prefix followed by the hex of the target's hash's first 16
// bytes. It runs on every warm hit, so it builds the key in one allocation.
func targetKey(prefix, appID string, t link.Target) string {
	var in [256]byte
	b := in[:0]
	for _, s := range [...]string{appID, t.Path, t.Query, t.EnvVersion} {
		b = append(b, s...)
		b = append(b, 0)
	}
	sum := sha256.Sum256(b)
	var out [48]byte
	k := append(out[:0], prefix...)
	k = hex.AppendEncode(k, sum[:16])
	return string(k)
}

// lockKey is taken by the instance generating a target's scheme.
func lockKey(key string) string { return key + "/lock" }

// entry is a cached generated link: an encrypted scheme or a URL Link.
type entry struct {
	OpenLink  string `json:"openlink"`
	ExpiresAt int64  `json:"expires_at"` // unix seconds
}

func (e entry) expires() time.Time { return time.Unix(e.ExpiresAt, 0) }

// fresh reports whether e may be served at now: more than margin left.
func (e entry) fresh(now time.Time, margin time.Duration) bool {
	return e.OpenLink != "" && e.expires().Sub(now) > margin
}

func decodeEntry(b []byte) (entry, bool) {
	var e entry
	if json.Unmarshal(b, &e) != nil || e.OpenLink == "" || e.ExpiresAt == 0 {
		return entry{}, false
	}
	return e, true
}

// memKey names a target's link in an instance's memory. A warm hit compares
// the target's strings instead of hashing them into the store's key, which
// only a miss needs. The strings are bounded by WeChat's limits (query ≤ 1024
// bytes), the entries by MemEntries.
type memKey struct {
	kind linkKind
	t    link.Target
}

// memCache is an instance's copy of the shared cache; bounded because
// per-recipient queries can make targets many.
type memCache struct {
	mu  sync.RWMutex
	m   map[memKey]entry
	max int
}

func newMemCache(max int) *memCache { return &memCache{m: make(map[memKey]entry), max: max} }

func (c *memCache) get(key memKey) (entry, bool) {
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	return e, ok
}

func (c *memCache) put(key memKey, e entry, now time.Time, margin time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		for k, old := range c.m {
			if !old.fresh(now, margin) {
				delete(c.m, k)
			}
		}
		// Still full: drop an arbitrary entry (map order is random); it is
		// in the shared store anyway.
		for k := range c.m {
			if len(c.m) < c.max {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = e
}

func (c *memCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
