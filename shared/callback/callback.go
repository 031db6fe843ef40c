// Package callback routes the platform callbacks that reach get-scheme's
// Function URL (SMS delivery receipts, SMS replies) under a path that
// carries an unguessable token: Tencent signs none of them, so knowing the
// URL is the only proof a request comes from the console's configuration.
//
//	POST /cb/<CALLBACK_TOKEN>/<name>
package callback

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Prefix is where the callback routes start.
const Prefix = "/cb/"

// MinTokenLen is the shortest token accepted: 24 characters of
// [A-Za-z0-9_-] carry over 140 bits.
const MinTokenLen = 24

// ErrBadToken: the token is too short or has characters a URL path would
// need to escape.
var ErrBadToken = errors.New("callback: CALLBACK_TOKEN must be at least 24 characters of A–Z a–z 0–9 _ -; generate one with: openssl rand -hex 24")

// ValidToken reports whether tok may be used as CALLBACK_TOKEN.
func ValidToken(tok string) bool {
	if len(tok) < MinTokenLen || len(tok) > 128 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Routes dispatches /cb/<token>/<name> to the handler added for name. An
// empty token turns every route off (they all answer 404).
type Routes struct {
	token    string
	handlers map[string]http.Handler
}

// New returns the routes for token; it fails for a token ValidToken refuses
// (an empty token is allowed and means "no callbacks").
func New(token string) (*Routes, error) {
	if token != "" && !ValidToken(token) {
		return nil, ErrBadToken
	}
	return &Routes{token: token, handlers: map[string]http.Handler{}}, nil
}

// Handle adds a callback; name is one path segment, e.g. "sms-status".
func (rs *Routes) Handle(name string, h http.Handler) { rs.handlers[name] = h }

// Path is the path to configure in the console for name.
func (rs *Routes) Path(name string) string { return Prefix + rs.token + "/" + name }

// ServeHTTP answers 404 for a wrong token or an unknown name, the same way,
// so a prober learns nothing; the token is compared in constant time.
func (rs *Routes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, Prefix)
	tok, name, ok2 := strings.Cut(rest, "/")
	h := rs.handlers[name]
	if !ok || !ok2 || rs.token == "" || h == nil ||
		subtle.ConstantTimeCompare([]byte(tok), []byte(rs.token)) != 1 {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotFound)
		b, _ := json.Marshal(map[string]string{"error": "not_found", "message": "没有这个回调地址。"})
		_, _ = w.Write(b)
		return
	}
	h.ServeHTTP(w, r)
}
