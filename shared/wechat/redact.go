package wechat

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// redacted replaces an error whose text held a secret. It keeps a context
// error reachable so that errors.Is(err, context.DeadlineExceeded) still works.
type redacted struct {
	msg   string
	cause error // context.Canceled, context.DeadlineExceeded or nil
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.cause }

// sanitize strips the query (which carries access_token) from a *url.Error
// and replaces any remaining occurrence of a secret.
func sanitize(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		cp := *ue
		cp.URL = stripQuery(ue.URL)
		err = &cp
	}
	msg := err.Error()
	clean := redact(msg, secrets...)
	if clean == msg {
		return err
	}
	r := &redacted{msg: clean}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		r.cause = context.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		r.cause = context.Canceled
	}
	return r
}

func stripQuery(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i]
	}
	return raw
}

// redact replaces every non-empty secret in s, including its URL-escaped form.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		s = strings.ReplaceAll(s, sec, "[redacted]")
		if esc := url.QueryEscape(sec); esc != sec {
			s = strings.ReplaceAll(s, esc, "[redacted]")
		}
	}
	return s
}
