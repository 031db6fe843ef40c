package send

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
)

// feed reads rows and hands them to the batcher until the end of the file
// or a stop; it reports whether it reached the end.
func (r *run) feed(ctx context.Context, rd *campaign.Reader) (eof bool, err error) {
	// Rows waiting in the batcher hold the watermark back; flushing them
	// before they are half a window old keeps the tracker from filling up.
	// At most a quarter second of calls waits in the batcher, because a
	// pause sends everything already taken before the deadline.
	bat := newBatcher(sms.MaxPhones, min(4096, max(50, r.qps/4)), r.s.o.Window/2, r.dispatch)
	defer bat.flush() // what was taken is sent: pausing never strands a row
	if r.dups == nil {
		r.dups = phone.NewSet(int(min(r.size/16, 20_000_000)))
	}
	placeholder := make([]byte, r.s.o.CodeLength)
	for i := range placeholder {
		placeholder[i] = 'x'
	}
	personal := r.m.LinkMode == campaign.LinkPersonal
	linkParam := -1
	for i, p := range r.m.Params {
		if p.Link {
			linkParam = i
		}
	}
	for {
		if stopCause(r.stop.Load()) != keepGoing {
			return false, nil
		}
		row, err := rd.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return true, nil
			}
			return false, fmt.Errorf("read CSV: %w", err)
		}
		cp := rd.Checkpoint()
		if enc := rd.Encoding(); enc != "" && r.encoding.Load() == nil {
			r.encoding.Store(enc)
		}
		r.offset.Store(cp.Offset)
		r.readRows.Add(1)
		if err := r.tr.add(row.Index, position{cp.Offset, cp.Line}); err != nil {
			return false, err
		}
		res := Result{Row: row.Index, Phone: row.Phone}
		if row.Err != nil {
			r.reject(res, string(row.Err.Reason), row.Err.Detail)
			continue
		}
		e164, perr := phone.Normalize(row.Phone)
		if perr != nil {
			reason, _ := campaign.ReasonOf(perr)
			r.reject(res, string(reason), "")
			continue
		}
		res.Phone = e164
		if !r.dups.Add(e164) {
			r.reject(res, string(campaign.ReasonDuplicate), "")
			continue
		}
		if f := r.fatal.Load(); f != nil {
			res.State, res.Reason, res.Code = StateNotSent, f.Reason, f.Code
			r.tr.finish(res)
			continue
		}
		rendered, rerr := r.rend.Render(row, string(placeholder))
		if rerr != nil {
			reason, ok := campaign.ReasonOf(rerr)
			if !ok {
				return false, rerr
			}
			var re *campaign.RowError
			detail := ""
			if errors.As(rerr, &re) {
				detail = re.Detail
			}
			r.reject(res, string(reason), detail)
			continue
		}
		res.Segments = rendered.Segments
		if r.m.DryRun {
			res.State, res.Reason = StateNotSent, ReasonDryRun
			r.tr.finish(res)
			continue
		}
		it := item{row: row.Index, phone: e164}
		if personal && linkParam >= 0 {
			it.query = rendered.Query
			r.dispatch(&batch{params: rendered.Params, segments: rendered.Segments, linkParam: linkParam, items: []item{it}})
			continue
		}
		bat.add(rendered.Params, rendered.Segments, it)
	}
}

func (r *run) reject(res Result, reason, detail string) {
	res.State, res.Reason, res.Code = StateRejected, reason, detail
	r.tr.finish(res)
}

// dispatch hands a batch to the workers once the checkpoint covers it.
func (r *run) dispatch(b *batch) {
	last := 0
	for _, it := range b.items {
		last = max(last, it.row)
	}
	if int64(last) > r.reserved.Load() {
		// Reserve ahead so that this path rarely waits for a checkpoint:
		// twice the rows dispatched in the last checkpoint interval (the
		// periodic checkpoint extends it the same way). The reservation is
		// what a crash flags, so it stays close to what is really in flight.
		// Before the first interval ends, the rows dispatched so far stand
		// in for the rate, which doubles the reservation each time.
		rate := r.dispatchRate.Load()
		if rate == 0 {
			rate = r.dispatchedRows.Load()
		}
		step := max(sms.MaxPhones, 2*int(rate))
		if err := r.checkpoint(context.Background(), last+step); err != nil {
			// Without a reservation nothing may be sent. The rows stay
			// open, the run stops with an error, and the retry resumes
			// from the last checkpoint.
			r.log.Error("send-sms: reservation not saved; stopping", "err", err)
			r.abort(err)
			return
		}
	}
	r.tr.dispatched(b.items)
	r.dispatchedRows.Add(int64(len(b.items)))
	r.dispatchedHigh.Store(int64(last))
	r.work <- b
}
