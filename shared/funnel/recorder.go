package funnel

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	// Row is the recipient's row when the mini-program reports an arrival
	// with the r=<row> its cq carries (personal links); 0 if none.
	Row      int
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
	if !knownEvent(h.Event) || !link.ValidCampaignID(h.Campaign) || (h.Code != "" && !link.ValidCodeFormat(h.Code)) ||
		h.Row < 0 || h.Row > MaxRow {
		return ErrInvalid
	}
	if !knownPlatform(h.Platform) {
		h.Platform = Other
	}
	return r.c.Incr(ctx, Key(h.Campaign), field(h), 1, TTL)
}

// MaxRow bounds a reported row number.
const MaxRow = 100_000_000

// RowPrefix marks a row, not a code, in the last part of a field; '#' is
// not in the code alphabet.
const RowPrefix = "#"

// field packs every dimension of a hit into one counter field, so one
// increment records them all: event.platform.hour[.code|.#row].
func field(h Hit) string {
	var b strings.Builder
	b.Grow(48)
	b.WriteString(string(h.Event))
	b.WriteByte('.')
	b.WriteString(string(h.Platform))
	b.WriteByte('.')
	var buf [16]byte
	b.Write(h.At.In(beijing).AppendFormat(buf[:0], hourLayout))
	switch {
	case h.Code != "":
		b.WriteByte('.')
		b.WriteString(h.Code)
	case h.Row > 0:
		b.WriteByte('.')
		b.WriteString(RowPrefix)
		b.Write(strconv.AppendInt(buf[:0], int64(h.Row), 10))
	}
	return b.String()
}
