package funnel

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// Counts are totals per event.
type Counts map[Event]int64

// Jumped is the sum of the events that hand the visitor to WeChat.
func (c Counts) Jumped() int64 {
	var n int64
	for e, v := range c {
		if e.Jumped() {
			n += v
		}
	}
	return n
}

// Snapshot is a campaign's counters, summed along each dimension.
type Snapshot struct {
	Campaign   string
	Totals     Counts
	ByPlatform map[Platform]Counts
	ByHour     map[int64]Counts // by the unix second the hour starts
	ByCode     map[string]Counts
	// Malformed counts fields this version cannot read (written by a newer
	// one); they are left out of every sum.
	Malformed int
}

// Read returns the campaign's counters from st.
func Read(ctx context.Context, st store.Store, campaign string) (Snapshot, error) {
	c, ok := store.AsCounter(st)
	if !ok {
		return Snapshot{}, fmt.Errorf("funnel: store %T cannot count", st)
	}
	raw, err := c.Counts(ctx, Key(campaign))
	if err != nil {
		return Snapshot{}, fmt.Errorf("funnel: read %s: %w", campaign, err)
	}
	return Aggregate(campaign, raw), nil
}

// Aggregate sums raw counter fields (event.platform.hour[.code]).
func Aggregate(campaign string, raw map[string]int64) Snapshot {
	s := Snapshot{
		Campaign: campaign, Totals: Counts{}, ByPlatform: map[Platform]Counts{},
		ByHour: map[int64]Counts{}, ByCode: map[string]Counts{},
	}
	for f, n := range raw {
		parts := strings.Split(f, ".")
		if len(parts) < 3 || len(parts) > 4 || !knownEvent(Event(parts[0])) || !knownPlatform(Platform(parts[1])) {
			s.Malformed++
			continue
		}
		hour, err := time.ParseInLocation(hourLayout, parts[2], beijing)
		if err != nil {
			s.Malformed++
			continue
		}
		e, p := Event(parts[0]), Platform(parts[1])
		s.Totals[e] += n
		add(s.ByPlatform, p, e, n)
		add(s.ByHour, hour.Unix(), e, n)
		if len(parts) == 4 {
			add(s.ByCode, parts[3], e, n)
		}
	}
	return s
}

func add[K comparable](m map[K]Counts, k K, e Event, n int64) {
	c := m[k]
	if c == nil {
		c = Counts{}
		m[k] = c
	}
	c[e] += n
}
