package funnel

import (
	"sync"
	"time"
)

// window limits beacons per client IP: at most n per minute, counted in
// fixed one-minute windows. A page sends a handful of beacons per visit;
// the limit stops one client from inflating a campaign's numbers. Memory
// is bounded: the map is dropped at each new window and never holds more
// than max clients (the rest are refused until the next window).
type window struct {
	n, max int

	mu      sync.Mutex
	start   time.Time
	clients map[string]int
}

func newWindow(perMinute, maxClients int) *window {
	return &window{n: perMinute, max: maxClients, clients: map[string]int{}}
}

func (w *window) allow(ip string, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if now.Sub(w.start) >= time.Minute || now.Before(w.start) {
		w.start = now.Truncate(time.Minute)
		clear(w.clients)
	}
	c, seen := w.clients[ip]
	if !seen && len(w.clients) >= w.max {
		return false
	}
	if c >= w.n {
		return false
	}
	w.clients[ip] = c + 1
	return true
}
