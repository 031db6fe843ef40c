package audience

import (
	"context"
	"time"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/store"
)

// Verdict is what the audience says about one row.
type Verdict uint8

const (
	Allow    Verdict = iota
	OptedOut         // the number is on the suppression list
	Capped           // the number reached the frequency cap
)

// Policy is what one job must respect.
type Policy struct {
	// Suppress filters numbers on the suppression list (marketing jobs,
	// and notification jobs whose manifest asks).
	Suppress bool
	// Cap applies to marketing jobs; nil is off.
	Cap Cap
}

// Filter answers for one job run from what was loaded at its start. It is
// read-only after Load, so the feed may call it without locks.
type Filter struct {
	supp   *phone.Set
	cap    Cap
	counts *counts
	// Loaded and the table sizes, for the job's log line.
	Suppressed int
	Counted    int
	Took       time.Duration
	Bytes      int
}

// Check says whether the number with key k may be sent to.
func (f *Filter) Check(k uint64) Verdict {
	if f == nil {
		return Allow
	}
	if f.supp != nil && f.supp.HasKey(k) {
		return OptedOut
	}
	if len(f.cap) > 0 {
		c := f.counts.get(k)
		for i, r := range f.cap {
			if int(c[i]) >= r.Limit {
				return Capped
			}
		}
	}
	return Allow
}

// Audience is the account's suppression list and sent ledger.
type Audience struct {
	List   *List
	Ledger *Ledger
	now    func() time.Time
}

// New returns the audience kept in the store st.
func New(st store.Store, now func() time.Time) *Audience {
	if now == nil {
		now = time.Now
	}
	return &Audience{List: NewList(st, now), Ledger: NewLedger(st, now), now: now}
}

// Load reads what p needs, once per job run.
func (a *Audience) Load(ctx context.Context, p Policy) (*Filter, error) {
	start := time.Now()
	f := &Filter{cap: p.Cap}
	if p.Suppress {
		s, err := a.List.Load(ctx)
		if err != nil {
			return nil, err
		}
		f.supp, f.Suppressed, f.Bytes = s, s.Len(), s.Bytes()
	}
	if len(p.Cap) > 0 {
		c, err := a.Ledger.counts(ctx, p.Cap)
		if err != nil {
			return nil, err
		}
		f.counts, f.Counted = c, c.n
		f.Bytes += c.bytes()
	}
	f.Took = time.Since(start)
	return f, nil
}
