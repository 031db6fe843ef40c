package scheme

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter is a token bucket per client IP with bounded memory.
type limiter struct {
	limit rate.Limit
	burst int
	max   int
	// idle: after this long unseen a bucket is full again, so forgetting
	// it changes nothing.
	idle time.Duration

	mu        sync.Mutex
	clients   map[string]*client
	lastSweep time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// newLimiter returns nil (no limit) when perMinute is 0.
func newLimiter(perMinute, burst, maxClients int) *limiter {
	if perMinute <= 0 {
		return nil
	}
	l := rate.Limit(float64(perMinute) / 60)
	return &limiter{
		limit:   l,
		burst:   burst,
		max:     maxClients,
		idle:    time.Duration(float64(burst) / float64(l) * float64(time.Second)),
		clients: make(map[string]*client),
	}
}

// allow takes a token for ip. When none is left it reports how long until
// one is, rounded up to whole seconds for Retry-After.
func (l *limiter) allow(ip string, now time.Time) (ok bool, retryAfter int) {
	if l == nil {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clients[ip]
	if c == nil {
		if len(l.clients) >= l.max {
			l.evict(now)
		}
		c = &client{lim: rate.NewLimiter(l.limit, l.burst)}
		l.clients[ip] = c
	}
	c.seen = now
	if c.lim.AllowN(now, 1) {
		return true, 0
	}
	r := c.lim.ReserveN(now, 1)
	d := r.DelayFrom(now)
	r.CancelAt(now)
	return false, max(1, int(math.Ceil(d.Seconds())))
}

// evict makes room: first buckets idle long enough to be full (at most one
// sweep a second, so a flood of new IPs does not make every call O(n)), then
// arbitrary ones. Forgetting a busy client only refills its bucket.
func (l *limiter) evict(now time.Time) {
	if now.Sub(l.lastSweep) >= time.Second {
		l.lastSweep = now
		for ip, c := range l.clients {
			if now.Sub(c.seen) >= l.idle {
				delete(l.clients, ip)
			}
		}
	}
	for ip := range l.clients {
		if len(l.clients) < l.max {
			break
		}
		delete(l.clients, ip)
	}
}

func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
