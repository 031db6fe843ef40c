package smsapi

import (
	"hash/fnv"
	"sync"
	"time"
)

// beijing is UTC+8 without a tzdata lookup; China has no daylight saving.
var beijing = time.FixedZone("CST", 8*3600)

// phoneState is all the sandbox remembers per number (24 bytes): a million
// distinct numbers cost about 85 MB of heap with the map, and no message
// bodies unless Options.KeepMessages.
type phoneState struct {
	lastMilli int64  // when the last message was accepted, Unix ms
	lastHash  uint32 // hash of its content
	day       int32  // Beijing calendar day of dayCount
	total     uint32 // accepted messages ever (since Reset)
	dayCount  uint16
}

func beijingDay(t time.Time) int32 {
	return int32((t.Unix() + 8*3600) / 86400)
}

// marketingHours reports whether t falls in 08:00–22:00 Beijing time.
func marketingHours(t time.Time) bool {
	h := t.In(beijing).Hour()
	return h >= 8 && h < 22
}

// contentHash identifies "the same content" for the 30-second rule.
func contentHash(sign, templateID string, params []string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(sign))
	h.Write([]byte{0})
	h.Write([]byte(templateID))
	for _, p := range params {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return h.Sum32()
}

// qpsWindow counts requests per wall-clock second of Options.Now, like the
// API's "3000 requests per second" limit.
type qpsWindow struct {
	mu  sync.Mutex
	sec int64
	n   int
}

func (w *qpsWindow) allow(now time.Time, limit int) bool {
	if limit < 0 {
		return true
	}
	sec := now.Unix()
	w.mu.Lock()
	defer w.mu.Unlock()
	if sec != w.sec {
		w.sec, w.n = sec, 0
	}
	w.n++
	return w.n <= limit
}
