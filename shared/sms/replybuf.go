package sms

import (
	"sync"
	"unsafe"
)

// replyBuf holds one call's reply: the body and its decoded form. Calls
// reuse them, so a 200-number reply (about 35 KB, and its 200 statuses)
// costs no new memory: on the million-row campaign fresh reply buffers were
// the largest share of what the collector had to chase.
type replyBuf struct {
	body  []byte
	reply sendReply
}

// maxPooledReply: a buffer grown past this by an odd reply is dropped
// rather than kept for the next call.
const maxPooledReply = 256 << 10

var replyBufs = sync.Pool{New: func() any { return new(replyBuf) }}

func getReplyBuf() *replyBuf { return replyBufs.Get().(*replyBuf) }

// release returns rb for reuse; nothing decoded from it may be used after.
func (rb *replyBuf) release() {
	if cap(rb.body) > maxPooledReply {
		return
	}
	clear(rb.reply.statuses[:cap(rb.reply.statuses)])
	rb.reply = sendReply{statuses: rb.reply.statuses[:0]}
	replyBufs.Put(rb)
}

// detach gives the statuses strings of their own, so that the reply's
// buffer can be reused: values the request already holds (the number, the
// session context) and the usual ones ("Ok", "send success", "CN") are
// shared, the rest (mostly SerialNo) copied into one allocation.
func detach(out []Status, req *Request) {
	var sizing, copying detacher
	sizing.each(out, req)
	copying.arena = make([]byte, 0, sizing.size)
	copying.each(out, req)
}

// detacher measures (arena nil) or copies (arena sized by a measuring pass).
type detacher struct {
	arena []byte
	size  int
}

func (d *detacher) each(out []Status, req *Request) {
	for i := range out {
		st := &out[i]
		if i < len(req.Phones) {
			st.Phone = d.keep(st.Phone, req.Phones[i])
		} else {
			st.Phone = d.keep(st.Phone, "")
		}
		st.SessionContext = d.keep(st.SessionContext, req.SessionContext)
		st.SerialNo = d.keep(st.SerialNo, "")
		st.Code = d.keep(st.Code, "")
		st.Message = d.keep(st.Message, "")
		st.IsoCode = d.keep(st.IsoCode, "")
	}
}

// keep returns s as shared, as a usual constant, or as a copy in the arena;
// while measuring it returns s and counts the bytes a copy needs.
func (d *detacher) keep(s, shared string) string {
	switch {
	case s == shared:
		return shared
	case s == CodeOK:
		return CodeOK
	case s == "send success":
		return "send success"
	case s == "CN":
		return "CN"
	case d.arena == nil:
		d.size += len(s)
		return s
	}
	start := len(d.arena)
	d.arena = append(d.arena, s...)
	return unsafe.String(unsafe.SliceData(d.arena[start:]), len(s))
}
