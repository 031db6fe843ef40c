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
// the numbers may have been sent.
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
	seen := make(map[string]struct{}, len(r.Phones))
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
		if _, dup := seen[p]; dup {
			badPhone("phone %s appears twice", p)
		}
		seen[p] = struct{}{}
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
