package send

import (
	"context"
	"errors"
	"fmt"
	"github.com/smsjump/smsjump/shared/audience"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
	"github.com/smsjump/smsjump/shared/sms"
)

// JobInfo is what hooks are told about a job.
type JobInfo struct {
	JobID    string
	Upload   Upload
	Campaign string
	// ReportPrefix is reports/<name>/<job>/, where the job's report lives.
	ReportPrefix string
	Status       Status
}

// sizeSampleRows rows are read before the duplicate set is sized from their
// length: enough to average out a header and odd first rows, few enough that
// the set has barely grown.
const sizeSampleRows = 4096

// feeder reads rows and hands them to the workers; it owns the reader's
// position, the duplicate set and the dispatch counters.
type feeder struct {
	r    *run
	rd   *campaign.Reader
	dups *phone.Set
	// repeated are the numbers dups refused, for result.csv's 「与第 N 行重复」.
	repeated dupNumbers
	// carried are rows already final, past the watermark, when the job
	// was deferred by a limit: they are reported, never sent again.
	carried map[int]Result
	// excluded are the numbers an earlier version of the upload sent.
	excluded *phone.Set
	// keys and fresh are readAhead's scratch for the duplicate check.
	keys  []uint64
	fresh []bool

	offset   atomic.Int64 // bytes read, for progress
	readRows atomic.Int64
	// dispatchedRows counts rows handed to workers; dispatchRate is how
	// many went in the last checkpoint interval; dispatchedHigh is the
	// highest row handed over.
	dispatchedRows atomic.Int64
	dispatchRate   atomic.Int64
	dispatchedHigh atomic.Int64
	lastDispatched int64 // monitor only
}

// run reads rows and hands them to the batcher until the end of the file
// or a stop; it reports whether it reached the end.
func (f *feeder) run(ctx context.Context) (eof bool, err error) {
	r := f.r
	// Rows waiting in the batcher hold the watermark back; flushing them
	// before they are half a window old keeps the tracker from filling up.
	// At most a quarter second of calls waits in the batcher, because a
	// pause sends everything already taken before the deadline.
	bat := newBatcher(sms.MaxPhones, min(4096, max(50, r.qps/4)), r.s.o.Window/2, f.dispatch)
	defer bat.flush() // what was taken is sent: pausing never strands a row
	placeholder := strings.Repeat("x", r.s.o.CodeLength)
	personal := r.m.LinkMode == campaign.LinkPersonal
	linkParam := -1
	for i, p := range r.m.Params {
		if p.Link {
			linkParam = i
		}
	}
	h := rowHandler{f: f, bat: bat, placeholder: placeholder, personal: personal, linkParam: linkParam}
	ahead := make([]aheadRow, 0, aheadRows)
	for {
		var readErr error
		ahead, readErr = f.readAhead(ahead)
		for i := range ahead {
			if r.stop.stopping() {
				// Rows read ahead but not taken are read again on resume:
				// only the tracker's position is checkpointed.
				return false, nil
			}
			if err := h.handle(&ahead[i]); err != nil {
				return false, err
			}
		}
		// A stop seen after the last row wins over the end of the file,
		// as it did when each row was read after the check.
		if r.stop.stopping() {
			return false, nil
		}
		if readErr != nil {
			if errors.Is(readErr, io.EOF) {
				return true, nil
			}
			return false, fmt.Errorf("read CSV: %w", readErr)
		}
	}
}

// aheadRows rows are read, normalised and checked against the duplicate
// set together before any is handled. For a million numbers the set is a
// 5 MB table and each lookup a cache (and TLB) miss; made back to back, the
// processor overlaps those misses instead of waiting for each in turn
// between the other work of a row.
const aheadRows = 32

// aheadRow is a row read ahead, with what the duplicate check found.
type aheadRow struct {
	row  campaign.Row
	pos  position
	e164 string
	perr error // numplan.Normalize's error; checked only when row.Err is nil
	// fresh: the number was not in the duplicate set (valid rows only).
	fresh bool
}

// readAhead reads up to aheadRows rows into buf and checks their numbers
// against the duplicate set in row order, exactly as handling them one by
// one would. It returns the rows and the error that ended reading, if any
// (io.EOF at the end).
func (f *feeder) readAhead(buf []aheadRow) ([]aheadRow, error) {
	r := f.r
	buf = buf[:0]
	var err error
	for len(buf) < aheadRows {
		var row campaign.Row
		if row, err = f.rd.Read(); err != nil {
			break
		}
		off, line := f.rd.Position()
		if f.readRows.Load()+int64(len(buf)) == sizeSampleRows {
			f.dups.Reserve(rowsHint(r.size, off, row.Index))
		}
		if enc := f.rd.Encoding(); enc != "" && r.ck.encoding.Load() == nil {
			r.ck.encoding.Store(enc)
		}
		a := aheadRow{row: row, pos: position{off, line}}
		if row.Err == nil {
			a.e164, a.perr = numplan.Normalize(row.Phone)
		}
		buf = append(buf, a)
	}
	keys, fresh := f.keys[:0], f.fresh[:0]
	for i := range buf {
		if a := &buf[i]; a.row.Err == nil && a.perr == nil {
			k, ok := phone.Key(a.e164)
			if !ok {
				panic("send: numplan.Normalize returned a number phone.Key refuses")
			}
			keys = append(keys, k)
			fresh = append(fresh, false)
		}
	}
	f.dups.AddKeys(keys, fresh)
	for i, j := 0, 0; i < len(buf); i++ {
		if a := &buf[i]; a.row.Err == nil && a.perr == nil {
			a.fresh = fresh[j]
			j++
		}
	}
	f.keys, f.fresh = keys, fresh
	return buf, err
}

// rowHandler takes one row at a time, in order: tracker, carried and
// rejected rows, exclusions, audience, rendering, and the batcher.
type rowHandler struct {
	f           *feeder
	bat         *batcher
	placeholder string
	personal    bool
	linkParam   int
}

func (h *rowHandler) handle(a *aheadRow) error {
	f, r, row := h.f, h.f.r, a.row
	f.offset.Store(a.pos.offset)
	f.readRows.Add(1)
	if err := r.tr.add(row.Index, a.pos); err != nil {
		return err
	}
	if c, ok := f.carried[row.Index]; ok {
		delete(f.carried, row.Index)
		if row.Err == nil && a.perr == nil && !a.fresh {
			f.repeated.note(a.e164)
		}
		r.tr.finish(c)
		return nil
	}
	res := Result{Row: row.Index, Phone: row.Phone}
	if row.Err != nil {
		r.reject(res, string(row.Err.Reason), row.Err.Detail)
		return nil
	}
	e164 := a.e164
	if a.perr != nil {
		reason, _ := campaign.ReasonOf(a.perr)
		r.reject(res, string(reason), "")
		return nil
	}
	res.Phone = e164
	if !a.fresh {
		f.repeated.note(e164)
		r.reject(res, string(campaign.ReasonDuplicate), "")
		return nil
	}
	if f.excluded != nil && f.excluded.Has(e164) {
		res.State, res.Reason = StateNotSent, ReasonAlreadySent
		r.tr.finish(res)
		return nil
	}
	if fr := r.stop.fatalReason(); fr != nil {
		res.State, res.Reason, res.Code = StateNotSent, fr.Reason, fr.Code
		r.tr.finish(res)
		return nil
	}
	if v := r.aud.Check(e164); v != audience.Allow {
		// Not a bad row: the recipient asked to be left alone, or has
		// had enough messages. Not sent, not billed.
		res.State, res.Reason = StateNotSent, v.Reason()
		r.tr.finish(res)
		return nil
	}
	rendered, rerr := r.rend.Render(row, h.placeholder)
	if rerr != nil {
		reason, ok := campaign.ReasonOf(rerr)
		if !ok {
			return rerr
		}
		r.reject(res, string(reason), campaign.DetailOf(rerr))
		return nil
	}
	res.Segments = rendered.Segments
	if r.m.DryRun {
		res.State, res.Reason = StateNotSent, ReasonDryRun
		r.tr.finish(res)
		return nil
	}
	it := item{row: row.Index, phone: e164}
	if h.personal && h.linkParam >= 0 {
		it.cq = rendered.CQ
		b := newBatch(rendered.Params, rendered.Segments, h.linkParam)
		b.items = append(b.items, it)
		f.dispatch(b)
		return nil
	}
	h.bat.add(rendered.Params, rendered.Segments, it)
	return nil
}

func (r *run) reject(res Result, reason, detail string) {
	res.State, res.Reason, res.Code = StateRejected, reason, detail
	r.tr.finish(res)
}

// dispatch hands a batch to the workers once the checkpoint covers it.
func (f *feeder) dispatch(b *batch) {
	r := f.r
	last := 0
	for _, it := range b.items {
		last = max(last, it.row)
	}
	if !r.ck.covers(last) {
		// Reserve ahead so that this path rarely waits for a checkpoint:
		// twice the rows dispatched in the last checkpoint interval (the
		// periodic checkpoint extends it the same way). The reservation is
		// what a crash flags, so it stays close to what is really in flight.
		// Before the first interval ends, the rows dispatched so far stand
		// in for the rate, which doubles the reservation each time.
		rate := f.dispatchRate.Load()
		if rate == 0 {
			rate = f.dispatchedRows.Load()
		}
		step := max(sms.MaxPhones, 2*int(rate))
		if err := f.reserve(last + step); err != nil {
			// Without a reservation nothing may be sent. The rows stay
			// open, the run stops with an error, and the retry resumes
			// from the last checkpoint.
			r.log.Error("send-sms: reservation not saved; stopping", "err", err)
			r.stop.abort(err)
			return
		}
	}
	r.tr.dispatched(b.items)
	f.dispatchedRows.Add(int64(len(b.items)))
	f.dispatchedHigh.Store(int64(last))
	r.work <- b
}

// reserve saves a reservation up to row, retrying store blips for up to
// half the lease TTL (the lease keeper gives up on a store that stays down
// for longer).
func (f *feeder) reserve(row int) error {
	r := f.r
	deadline := time.Now().Add(r.s.o.LeaseTTL / 2)
	wait := r.s.o.RetryBase
	for {
		err := r.ck.save(context.Background(), row)
		if err == nil || errors.Is(err, ErrLeaseLost) || errors.Is(err, errPartLost) || time.Now().After(deadline) {
			return err
		}
		if r.stop.why() == stopLeaseLost {
			return ErrLeaseLost
		}
		r.log.Warn("send-sms: reservation not saved; trying again", "err", err)
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}

// reserveAhead is the reservation the periodic checkpoint asks for: ahead
// of the highest dispatched row by twice the last interval's rows, so that
// the feed does not stop for a checkpoint of its own. Called by the monitor
// once per checkpoint interval.
func (f *feeder) reserveAhead() int {
	d := f.dispatchedRows.Load()
	f.dispatchRate.Store(max(1, d-f.lastDispatched))
	f.lastDispatched = d
	if high := int(f.dispatchedHigh.Load()); high > 0 {
		return high + max(sms.MaxPhones, 2*int(f.dispatchRate.Load()))
	}
	return 0
}
