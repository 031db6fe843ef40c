package wechat

import (
	"errors"
	"strconv"
	"strings"
)

// kind is a sentinel error that may belong to a broader kind, so that
// errors.Is(ErrOpensExhausted, ErrQuotaExhausted) holds.
type kind struct {
	msg    string
	parent error
}

func (k *kind) Error() string { return k.msg }

func (k *kind) Is(target error) bool { return k.parent != nil && errors.Is(k.parent, target) }

// Error kinds. Test them with errors.Is; every error returned by Client is an
// *Error carrying exactly one of them.
var (
	// ErrTokenInvalid: the access token is invalid, expired or no longer the
	// latest (40001, 42001, 40014, 41001). Get a token again and retry once.
	ErrTokenInvalid error = &kind{msg: "wechat: access token invalid or expired"}
	// ErrRateLimited: a per-second or per-minute limit was hit (44990, 45011).
	// Retry after a short pause.
	ErrRateLimited error = &kind{msg: "wechat: rate limited"}
	// ErrQuotaExhausted: a daily quota is used up (44993, 45009, 85400 and
	// ErrOpensExhausted). Nothing helps before the quota resets.
	ErrQuotaExhausted error = &kind{msg: "wechat: daily quota exhausted"}
	// ErrOpensExhausted: the mini-program's daily scheme opens are used up
	// (85406). It is also an ErrQuotaExhausted.
	ErrOpensExhausted error = &kind{msg: "wechat: daily scheme opens exhausted", parent: ErrQuotaExhausted}
	// ErrConfig: credentials, whitelist, mini-program state or request values
	// are wrong. Retrying does not help; a person must fix something.
	ErrConfig error = &kind{msg: "wechat: configuration error"}
	// ErrSchemeNotFound: queryscheme does not know the scheme (85403).
	ErrSchemeNotFound error = &kind{msg: "wechat: scheme not found"}
	// ErrTransient: system busy (-1), HTTP 5xx, network failures, replies that
	// are not the documented JSON, and errcodes this package does not know.
	// Retry later with backoff.
	ErrTransient error = &kind{msg: "wechat: transient failure"}
)

// Error is a failed WeChat call. It never contains the AppSecret or an access
// token.
type Error struct {
	Op   string // API: "stable_token", "generatescheme", "queryscheme"
	Code int    // WeChat errcode; 0 when the failure happened before WeChat answered
	Msg  string // errmsg from WeChat, or what went wrong locally
	// HTTPStatus is the reply's status code, 0 if no reply arrived.
	HTTPStatus int
	// Hint names the fix when one is known.
	Hint string
	// Kind is one of the Err… sentinels above.
	Kind error
	// Err is the underlying cause (transport or decoding), already redacted.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wechat ")
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.Code != 0 {
		b.WriteString("errcode ")
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteString(": ")
	} else if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		b.WriteString("HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil && !strings.Contains(e.Msg, e.Err.Error()) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString(" (fix: ")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is e's kind or a broader kind containing it.
func (e *Error) Is(target error) bool {
	return e.Kind != nil && (e.Kind == target || errors.Is(e.Kind, target))
}

// Unwrap gives access to the cause, e.g. context.DeadlineExceeded.
func (e *Error) Unwrap() error { return e.Err }

// newAPIError builds the error for a non-zero errcode.
func newAPIError(op string, status, code int, msg string) *Error {
	return &Error{Op: op, Code: code, Msg: msg, HTTPStatus: status, Kind: classify(code), Hint: hint(op, code)}
}

// configError is a request rejected before any HTTP call.
func configError(op, msg, fix string) *Error {
	return &Error{Op: op, Msg: msg, Hint: fix, Kind: ErrConfig}
}
