package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// MaxPhones is the most numbers one SendSms call takes.
const MaxPhones = 200

// maxSessionContext is SendSms's limit on SessionContext, in bytes.
const maxSessionContext = 512

// Request is one SendSms call: the same template and parameters to up to
// MaxPhones numbers.
type Request struct {
	SdkAppID   string
	SignName   string // required for mainland numbers
	TemplateID string
	// Phones are E.164 numbers (+8613800138000), all mainland or all
	// international, no duplicates.
	Phones []string
	// Params fill the template's {1}, {2}… for every number.
	Params []string
	// SessionContext is echoed in every Status (at most 512 bytes).
	SessionContext string
	// Statuses, when it has room for every number, receives the answer
	// (Send returns it resliced), so that a caller sending batch after
	// batch reuses one slice. Optional.
	Statuses []Status
}

// Status is the outcome for one number. A number was sent iff Code is "Ok";
// Classify(Code) says what to do otherwise.
type Status struct {
	Phone          string
	SerialNo       string // matches the sid of the delivery receipt
	Code           string
	Message        string
	SessionContext string
	IsoCode        string
	Fee            int // billed messages
}

// Sender sends one batch. It returns one Status per requested phone, in
// request order, or an error for the whole request; ClassOf(err) says whether
// the numbers may have been sent. Send must not keep req's slices once it
// returns, and the statuses it returns belong to the caller: callers reuse
// both.
type Sender interface {
	Send(ctx context.Context, req Request) ([]Status, error)
}

// ErrInvalidRequest marks a Request that Validate rejected; it never reached
// the API.
var ErrInvalidRequest = errors.New("sms: invalid request")

// Validate checks what the API would reject for the whole batch, so that a
// malformed batch costs no call and names its problem.
func (r Request) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if r.SdkAppID == "" {
		add("SdkAppID is empty (set SMS_SDK_APP_ID)")
	}
	if r.TemplateID == "" {
		add("TemplateID is empty (set SMS_TEMPLATE_ID or the manifest's template)")
	}
	switch n := len(r.Phones); {
	case n == 0:
		add("no phone numbers")
	case n > MaxPhones:
		add("%d phone numbers, at most %d per call", n, MaxPhones)
	}
	var room [512]uint64 // a power of two, at least 2 × MaxPhones
	seen := newNumberSet(room[:], len(r.Phones))
	mainland, global, bad := 0, 0, 0
	// Only the first few bad numbers are named: a broken batch of 200 should
	// still give a readable error.
	badPhone := func(format, p string) {
		if bad++; bad <= 3 {
			add(format, maskPhone(p))
		}
	}
	for _, p := range r.Phones {
		if !isE164(p) {
			badPhone("phone %s is not E.164 (+<country code><number>)", p)
			continue
		}
		if !seen.add(p) {
			badPhone("phone %s appears twice", p)
		}
		if strings.HasPrefix(p, "+86") {
			mainland++
		} else {
			global++
		}
	}
	if bad > 3 {
		add("%d more bad phone numbers", bad-3)
	}
	if mainland > 0 && global > 0 {
		add("mainland and international numbers in one call: send them in separate batches")
	}
	if mainland > 0 && r.SignName == "" {
		add("SignName is empty but mainland numbers need one (set SMS_SIGN_NAME)")
	}
	if len(r.SessionContext) > maxSessionContext {
		add("SessionContext is %d bytes, at most %d", len(r.SessionContext), maxSessionContext)
	}
	if problems == nil {
		return nil
	}
	return &Error{
		Code:    CodeInvalidRequest,
		Message: strings.Join(problems, "; "),
		Class:   Fatal,
		Err:     ErrInvalidRequest,
	}
}

// isE164 accepts + followed by 7 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maskPhone keeps the country code, the first three and the last four
// digits (+86138****8000); numbers never reach a log or error unmasked.
func maskPhone(s string) string {
	if len(s) < 8 {
		return "****"
	}
	head := 3
	if strings.HasPrefix(s, "+86") {
		head = 6
	}
	return s[:head] + "****" + s[len(s)-4:]
}

// numberSet finds repeated numbers in a batch without a map (Validate runs
// on every call): E.164 numbers as the integers of their digits, which are
// distinct for distinct numbers (no leading zero), in open addressing.
type numberSet struct{ slots []uint64 }

// newNumberSet makes room for n numbers, in room (a power of two long) when
// it is large enough: at most half full, probes stay short.
func newNumberSet(room []uint64, n int) numberSet {
	size := len(room)
	for size < 2*n {
		size *= 2
	}
	if size > len(room) {
		return numberSet{slots: make([]uint64, size)}
	}
	return numberSet{slots: room}
}

// add records e164 (valid, see isE164) and reports whether it was new.
func (s numberSet) add(e164 string) bool {
	var k uint64
	for i := 1; i < len(e164); i++ {
		k = k*10 + uint64(e164[i]-'0')
	}
	mask := uint64(len(s.slots) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> 32 & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return false
		case 0:
			s.slots[i] = k
			return true
		}
	}
}
