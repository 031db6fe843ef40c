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

// owner gives a status strings of its own, so that the reply's buffer can
// be reused: values the request already holds (the number, the session
// context) and the usual ones ("Ok", "send success", "CN") are shared, the
// rest (mostly SerialNo) copied into one arena for the call.
type owner struct{ arena []byte }

// status is st for the requested phone (equal to st.PhoneNumber).
func (o *owner) status(st *replyStatus, phone, session string) Status {
	sc := session
	if st.SessionContext != session {
		sc = o.own(st.SessionContext)
	}
	return Status{
		Phone:          phone,
		SerialNo:       o.own(st.SerialNo),
		Code:           o.own(st.Code),
		Message:        o.own(st.Message),
		SessionContext: sc,
		IsoCode:        o.own(st.IsoCode),
		Fee:            int(st.Fee),
	}
}

func (o *owner) own(s string) string {
	switch s {
	case "":
		return ""
	case CodeOK:
		return CodeOK
	case "send success":
		return "send success"
	case "CN":
		return "CN"
	}
	start := len(o.arena)
	o.arena = append(o.arena, s...)
	return unsafe.String(&o.arena[start], len(s))
}
