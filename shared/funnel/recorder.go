package funnel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/store"
)

// TTL keeps a campaign's counters this long after its last event: long
// enough for any report, bounded so the store does not grow forever.
const TTL = 180 * 24 * time.Hour

// beijing is the time zone of the hours in reports (operators are in China).
var beijing = time.FixedZone("CST", 8*3600)

// hourLayout names an hour in counter fields: 2026112814 is 14:00–15:00
// Beijing time on 2026-11-28.
const hourLayout = "2006010215"

// Hit is one event to count.
type Hit struct {
	Campaign string
	Code     string // personal code, or ""
	Event    Event
	Platform Platform
	At       time.Time
}

// ErrInvalid is returned for a hit with an unknown event or a malformed
// campaign or code; nothing is written.
var ErrInvalid = errors.New("funnel: invalid hit")

// Recorder counts hits in a store.
type Recorder struct {
	c store.Counter
}

// NewRecorder returns a Recorder over st, which must have the Counter
// capability (every backend of package store has it).
func NewRecorder(st store.Store) (*Recorder, error) {
	c, ok := store.AsCounter(st)
	if !ok {
		return nil, fmt.Errorf("funnel: store %T cannot count", st)
	}
	return &Recorder{c: c}, nil
}

// Key is the store key of a campaign's counters.
func Key(campaign string) string { return "funnel/" + campaign }

// Record counts h with exactly one store write.
func (r *Recorder) Record(ctx context.Context, h Hit) error {
	if !knownEvent(h.Event) || !link.ValidCampaignID(h.Campaign) || (h.Code != "" && !link.ValidCodeFormat(h.Code)) {
		return ErrInvalid
	}
	if !knownPlatform(h.Platform) {
		h.Platform = Other
	}
	return r.c.Incr(ctx, Key(h.Campaign), field(h), 1, TTL)
}

// field packs every dimension of a hit into one counter field, so one
// increment records them all: event.platform.hour[.code].
func field(h Hit) string {
	var b strings.Builder
	b.Grow(48)
	b.WriteString(string(h.Event))
	b.WriteByte('.')
	b.WriteString(string(h.Platform))
	b.WriteByte('.')
	var buf [16]byte
	b.Write(h.At.In(beijing).AppendFormat(buf[:0], hourLayout))
	if h.Code != "" {
		b.WriteByte('.')
		b.WriteString(h.Code)
	}
	return b.String()
}
