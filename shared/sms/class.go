package sms

import (
	"strconv"
	"strings"
)

// Class is what an outcome means for the job.
type Class int

const (
	// Unknown: the request may or may not have been delivered (a timeout or
	// a broken connection after the request was written). SendSms has no
	// idempotency key, so retrying risks a double send. It is the zero value
	// because it is the only safe assumption about an unclassified failure.
	Unknown Class = iota
	// OK: sent.
	OK
	// Final: not sent and never will be in this run for this number
	// (invalid, blacklisted, frequency limit reached).
	Final
	// Transient: not sent; retrying later is safe.
	Transient
	// RateLimited: not sent because the account's request rate was exceeded;
	// retry after slowing down.
	RateLimited
	// Fatal: not sent and no other number will be either until someone fixes
	// the configuration or the account; the job must stop.
	Fatal
	// Deferred: not sent because of a limit that lifts by itself (the
	// marketing window, the application's daily totals). The job waits
	// until DeferUntil and sends these numbers then; it never fails for it.
	Deferred
)

var classNames = [...]string{"unknown", "ok", "final", "transient", "rate_limited", "fatal", "deferred"}

func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// Codes this package produces itself, in the SDK's ClientError namespace.
const (
	CodeOK = "Ok"
	// CodeInvalidRequest: Validate rejected the batch before any call.
	CodeInvalidRequest = "ClientError.InvalidRequest"
	// CodeCredentials: no credentials could be read.
	CodeCredentials = "ClientError.CredentialError"
	// CodeNetwork: the call failed in transport; Error.Class tells whether
	// the request had been written.
	CodeNetwork = "ClientError.NetworkError"
	// CodeMissingStatus: the reply had no status for a requested number.
	CodeMissingStatus = "ClientError.MissingStatus"
	// CodeNotSent: the call was abandoned before sending (context done
	// while waiting for the rate limiter).
	CodeNotSent = "ClientError.NotSent"
)

// fatalPrefixes are namespaces where every code means the request, the key
// or the account is wrong, whatever the number.
var fatalPrefixes = []string{
	"AuthFailure", "UnauthorizedOperation", "MissingParameter", "UnknownParameter",
	"UnsupportedOperation", "InvalidAction", "NoSuchVersion",
	"ActionOffline", "UnsupportedRegion", "InvalidRegion", "UnsupportedProtocol",
	"RequestSizeLimitExceeded", "ResourceNotFound", "InvalidParameter",
}

// Classify maps an API error code (request-level Error.Code or per-number
// SendStatus.Code) to its Class. Unrecognised codes outside the namespaces
// that always mean misconfiguration are Final: the API said no for these
// numbers, retrying blindly could loop, and stopping a whole campaign for an
// unknown code would be worse.
func Classify(code string) Class {
	if c, ok := codeClasses[code]; ok {
		return c
	}
	switch {
	case strings.EqualFold(code, CodeOK):
		return OK
	case strings.HasPrefix(code, "LimitExceeded.PhoneNumber"):
		return Final
	case strings.HasPrefix(code, "RequestLimitExceeded"):
		return RateLimited
	case strings.HasPrefix(code, "InternalError"):
		return Transient
	case strings.HasPrefix(code, "ClientError."):
		// The SDK's own failures after a reply arrived (bad status, bad
		// JSON, broken body) leave delivery unknown.
		return Unknown
	}
	for _, p := range fatalPrefixes {
		if strings.HasPrefix(code, p) {
			return Fatal
		}
	}
	return Final
}
