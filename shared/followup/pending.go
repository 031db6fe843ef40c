package followup

import (
	"context"
	"fmt"

	"github.com/smsjump/smsjump/shared/receipt"
)

// pending is the inbox of this tick, indexed by SerialNo.
type pending struct {
	batches []receipt.Batch
	bySID   map[string][]ref
	done    [][]bool // done[batch][i]: receipt i of batch has been dealt with
}

type ref struct{ batch, i int }

func newPending(batches []receipt.Batch) *pending {
	p := &pending{batches: batches, bySID: map[string][]ref{}, done: make([][]bool, len(batches))}
	for bi, b := range batches {
		p.done[bi] = make([]bool, len(b.Receipts))
		for i, r := range b.Receipts {
			p.bySID[r.SerialNo] = append(p.bySID[r.SerialNo], ref{bi, i})
		}
	}
	return p
}

func (p *pending) empty() bool { return len(p.bySID) == 0 }

// settleInbox deletes batches that were dealt with in full, keeps what is
// waiting for its job, and drops receipts no job claimed within
// UnknownGrace — or, while some job is unfinished (its result.csv not yet
// written), within the receipt window.
func (f *Followup) settleInbox(ctx context.Context, in *receipt.Inbox, p *pending, running bool, st *Stats) error {
	now := f.o.Now()
	grace := f.o.UnknownGrace
	if running {
		grace = max(grace, f.o.Window)
	}
	for bi, b := range p.batches {
		var keep []receipt.Receipt
		changed := false
		for i, r := range b.Receipts {
			switch {
			case p.done[bi][i]:
				changed = true
			case now.Sub(b.Arrived) >= grace:
				st.Unknown++
				changed = true
			default:
				keep = append(keep, r)
			}
		}
		st.Waiting += len(keep)
		if !changed {
			continue
		}
		if err := in.Requeue(ctx, b, keep); err != nil {
			return fmt.Errorf("followup: inbox: %w", err)
		}
	}
	return nil
}
