package wechat

import (
	"encoding/json"
	"errors"
	"net/http"
)

// reply is a success body; check rejects a body that decoded but lacks what
// the documentation promises.
type reply interface {
	check() error
}

// envelope is the part every WeChat reply may carry.
type envelope struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// decodeReply turns an HTTP status and body into out or an *Error.
func decodeReply(op string, status int, body []byte, out reply) *Error {
	if status >= 500 {
		return &Error{Op: op, HTTPStatus: status, Msg: http.StatusText(status), Kind: ErrTransient, Hint: hints[CodeSystemBusy]}
	}
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		switch {
		case status == http.StatusTooManyRequests:
			return &Error{Op: op, HTTPStatus: status, Msg: "too many requests", Kind: ErrRateLimited}
		case status != http.StatusOK:
			return &Error{Op: op, HTTPStatus: status, Msg: "unexpected reply " + http.StatusText(status), Kind: ErrConfig, Hint: hints[CodeInvalidURL]}
		default:
			return &Error{Op: op, HTTPStatus: status, Msg: "reply is not the documented JSON", Kind: ErrTransient, Err: err}
		}
	}
	if env.ErrCode != 0 {
		return newAPIError(op, status, env.ErrCode, env.ErrMsg)
	}
	switch {
	case status == http.StatusTooManyRequests:
		return &Error{Op: op, HTTPStatus: status, Msg: "too many requests", Kind: ErrRateLimited}
	case status != http.StatusOK:
		return &Error{Op: op, HTTPStatus: status, Msg: "unexpected reply " + http.StatusText(status), Kind: ErrConfig, Hint: hints[CodeInvalidURL]}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Op: op, HTTPStatus: status, Msg: "reply has unexpected field types", Kind: ErrTransient, Err: err}
	}
	if err := out.check(); err != nil {
		return &Error{Op: op, HTTPStatus: status, Msg: "incomplete reply", Kind: ErrTransient, Err: err}
	}
	return nil
}

var errIncomplete = errors.New("a documented field is missing")
