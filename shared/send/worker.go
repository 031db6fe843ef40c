package send

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
)

// worker sends batches until the channel closes. It never abandons a batch
// it took: a pause waits for it, so pausing never leaves a row in doubt.
func (r *run) worker(ctx context.Context) {
	for b := range r.work {
		room := callRooms.Get().(*callRoom)
		r.sendBatch(ctx, b, room)
		room.release()
		b.recycle()
	}
}

// callRoom is memory for the numbers and statuses of one batch's calls,
// reused from call to call (a call's statuses are done with before the
// next call). Rooms are shared by all workers rather than kept by each: a
// job at 3000 calls/s has 225 workers but only the calls in flight need a
// room, and every byte kept is one the collector scans on each cycle.
type callRoom struct {
	phones   []string
	statuses []sms.Status
}

var callRooms = sync.Pool{New: func() any { return new(callRoom) }}

func (c *callRoom) release() {
	clear(c.phones)
	clear(c.statuses) // no numbers or serials kept alive by a free room
	callRooms.Put(c)
}

// sendBatch delivers one batch with retries and finishes every row in it.
func (r *run) sendBatch(ctx context.Context, b *batch, room *callRoom) {
	params := b.params
	if b.linkParam >= 0 {
		it := b.items[0]
		code, err := r.newCode(ctx, it)
		if err != nil {
			r.log.Error("send-sms: personal code not stored; row not sent", "row", it.row, "phone", phone.Mask(it.phone), "err", err)
			r.finishAll(b, b.items, StateFailed, "link_code_error", "", nil)
			return
		}
		params = append([]string(nil), b.params...)
		params[b.linkParam] = code
	}
	pending := b.items
	transient, limited := 0, 0
	for len(pending) > 0 {
		if f := r.stop.fatalReason(); f != nil {
			r.finishAll(b, pending, StateNotSent, f.Reason, f.Code, nil)
			return
		}
		if ctx.Err() != nil {
			// The invocation is over (SCF kills it now): leave the rows
			// unfinished; the reservation flags them on resume.
			return
		}
		if r.stop.why() == stopLeaseLost {
			// Another invocation owns the job: not one more call.
			return
		}
		if until, _ := r.stop.limited(); !until.IsZero() {
			// A limit that lifts by itself was met: calling now would only
			// meet it again. The rows stay open; the job resumes them.
			return
		}
		phones := room.phones[:0]
		for _, it := range pending {
			phones = append(phones, it.phone)
		}
		room.phones = phones
		req := sms.Request{
			SdkAppID: r.m.SDKAppID, SignName: r.m.SignName, TemplateID: r.m.TemplateID,
			Phones: phones, Params: params,
			// Echoed per number: which job and row the message belongs to.
			SessionContext: r.jobID[:12] + ":" + strconv.Itoa(pending[0].row),
			Statuses:       room.statuses,
		}
		r.ck.calls.Add(1)
		statuses, err := r.sender.Send(ctx, req)
		if cap(statuses) > cap(room.statuses) {
			room.statuses = statuses[:0]
		}
		if err != nil && ctx.Err() != nil {
			// The invocation is being killed mid-call: leave the rows in
			// flight; the resumed run sends them again and flags them.
			return
		}
		if err != nil {
			code := sms.CodeOf(err)
			switch sms.ClassOf(err) {
			case sms.Transient:
				if code == sms.CodeNotSent && ctx.Err() != nil {
					return
				}
				if transient++; transient >= r.s.o.MaxAttempts {
					r.finishAll(b, pending, StateFailed, ReasonRetriesExceeded, code, nil)
					return
				}
				r.backoff(ctx, transient)
			case sms.RateLimited:
				if limited++; limited >= 2*r.s.o.MaxAttempts {
					r.finishAll(b, pending, StateFailed, ReasonRetriesExceeded, code, nil)
					return
				}
				r.backoff(ctx, limited)
			case sms.Final:
				r.finishAll(b, pending, StateFailed, ReasonAPIRefused, code, nil)
				return
			case sms.Deferred:
				r.stop.limit(code, sms.DeferUntil(code, r.s.o.Now()))
				return
			case sms.Fatal:
				r.stop.setFatal(&Fatal{Reason: ReasonJobStopped, Code: code, Detail: err.Error(), Fix: sms.Explain(code, req)})
				r.finishAll(b, pending, StateNotSent, ReasonJobStopped, code, nil)
				return
			default: // Unknown: it may have been delivered; a retry could send twice
				r.log.Warn("send-sms: call outcome unknown; its numbers are reported unknown, not retried",
					"row", pending[0].row, "numbers", len(pending), "code", code)
				r.finishAll(b, pending, StateUnknown, ReasonMaybeSent, code, nil)
				return
			}
			continue
		}
		var retry []item
		var blacklisted []string
		retryClass := sms.OK
		for i, it := range pending {
			st := statusFor(statuses, i, it.phone)
			res := Result{Row: it.row, Phone: it.phone, Segments: b.segments}
			if st == nil {
				res.State, res.Reason, res.Code = StateUnknown, ReasonMaybeSent, sms.CodeMissingStatus
				r.tr.finish(res)
				continue
			}
			res.SerialNo, res.Fee, res.Code = st.SerialNo, st.Fee, st.Code
			switch c := sms.Classify(st.Code); c {
			case sms.OK:
				res.State, res.Code = StateSent, ""
			case sms.Transient, sms.RateLimited:
				retry = append(retry, it)
				retryClass = c
				continue
			case sms.Fatal:
				r.stop.setFatal(&Fatal{Reason: ReasonJobStopped, Code: st.Code, Detail: st.Message, Fix: sms.Explain(st.Code, req)})
				res.State, res.Reason = StateNotSent, ReasonJobStopped
			case sms.Deferred:
				// Left open: sent when the job resumes after the limit.
				r.stop.limit(st.Code, sms.DeferUntil(st.Code, r.s.o.Now()))
				continue
			case sms.Unknown:
				res.State, res.Reason = StateUnknown, ReasonMaybeSent
			default:
				res.State, res.Reason = StateFailed, ReasonAPIRefused
				if st.Code == codeBlacklisted {
					blacklisted = append(blacklisted, it.phone)
				}
			}
			r.tr.finish(res)
		}
		if err := r.aud.Blacklisted(ctx, blacklisted); err != nil {
			// The rows are final either way; the next refusal adds them.
			r.log.Warn("send-sms: blacklisted numbers not added to the suppression list", "numbers", len(blacklisted), "err", err)
		}
		pending = retry
		if len(pending) > 0 {
			n := &transient
			limit := r.s.o.MaxAttempts
			if retryClass == sms.RateLimited {
				n, limit = &limited, 2*limit
			}
			if *n++; *n >= limit {
				r.finishAll(b, pending, StateFailed, ReasonRetriesExceeded, "", statuses)
				return
			}
			r.backoff(ctx, *n)
		}
	}
}

// statusFor finds the status of the i-th requested number: by position,
// checked against the phone, else by phone.
func statusFor(sts []sms.Status, i int, phone string) *sms.Status {
	if i >= 0 && i < len(sts) && sts[i].Phone == phone {
		return &sts[i]
	}
	for k := range sts {
		if sts[k].Phone == phone {
			return &sts[k]
		}
	}
	return nil
}

// finishAll gives every item the same outcome; the code of a number comes
// from its last status when there is one.
func (r *run) finishAll(b *batch, items []item, state, reason, code string, last []sms.Status) {
	for _, it := range items {
		c := code
		if st := statusFor(last, -1, it.phone); c == "" && st != nil {
			c = st.Code
		}
		r.tr.finish(Result{Row: it.row, Phone: it.phone, State: state, Reason: reason, Code: c, Segments: b.segments})
	}
}

// backoff sleeps RetryBase × 2^(n-1), capped at 5 s, with full jitter.
func (r *run) backoff(ctx context.Context, n int) {
	d := min(r.s.o.RetryBase<<min(n-1, 10), 5*time.Second)
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// newCode stores the personal code of one recipient. cq carries the row and
// the row's target.cq values, so one cached scheme per target serves every
// recipient and still tells them apart.
func (r *run) newCode(ctx context.Context, it item) (string, error) {
	ttl := r.s.o.CodeTTL
	if end := r.m.Validity.End; !end.IsZero() {
		ttl = max(time.Hour, end.Sub(r.s.o.Now())+24*time.Hour)
	}
	cq := "r" + strconv.Itoa(it.row)
	if it.cq != "" {
		cq += "&" + it.cq
	}
	return r.s.o.Links.NewCode(ctx, r.m.CampaignID, "", cq, ttl)
}
