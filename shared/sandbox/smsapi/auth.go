package smsapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Credential is one API key the sandbox accepts.
type Credential struct {
	SecretKey string
	// Token, when set, must arrive in X-TC-Token (temporary credentials). When
	// empty, a request that carries a token is rejected: a token only makes
	// sense with the temporary key it was issued with.
	Token string
}

const (
	tc3Algorithm  = "TC3-HMAC-SHA256"
	tc3Terminator = "tc3_request"
	service       = "sms"
)

// credSet is one generation of accepted keys plus a cache of derived signing
// keys, so a request costs two SHA-256 and one HMAC instead of four HMACs.
type credSet struct {
	keys    map[string]Credential
	derived sync.Map // secretID + "\x00" + date → []byte
}

func newCredSet(keys map[string]Credential) *credSet {
	cs := &credSet{keys: make(map[string]Credential, len(keys))}
	for id, c := range keys {
		cs.keys[id] = c
	}
	return cs
}

func (cs *credSet) signingKey(id, secret, date string) []byte {
	ck := id + "\x00" + date
	if k, ok := cs.derived.Load(ck); ok {
		return k.([]byte)
	}
	k := deriveKey(secret, date, service)
	cs.derived.Store(ck, k)
	return k
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// authorization is the parsed Authorization header.
type authorization struct {
	secretID      string
	date          string
	service       string
	signedHeaders string
	signature     [sha256.Size]byte
}

func parseAuthorization(h string) (authorization, bool) {
	var a authorization
	rest, ok := strings.CutPrefix(h, tc3Algorithm+" ")
	if !ok {
		return a, false
	}
	var credential, sig string
	for field := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return a, false
		}
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			sig = v
		}
	}
	parts := strings.Split(credential, "/")
	if len(parts) != 4 || parts[0] == "" || parts[3] != tc3Terminator {
		return a, false
	}
	a.secretID, a.date, a.service = parts[0], parts[1], parts[2]
	if len(sig) != 2*sha256.Size {
		return a, false
	}
	if _, err := hex.Decode(a.signature[:], []byte(sig)); err != nil {
		return a, false
	}
	return a, a.signedHeaders != ""
}

// signedHeaderNames checks the SignedHeaders list: lower case, sorted, and
// covering at least content-type and host as the API requires.
func signedHeaderNames(list string) ([]string, bool) {
	names := strings.Split(list, ";")
	var ct, host bool
	for i, n := range names {
		if n == "" || n != strings.ToLower(n) || (i > 0 && names[i-1] >= n) {
			return nil, false
		}
		ct = ct || n == "content-type"
		host = host || n == "host"
	}
	return names, ct && host
}

// authenticate verifies a TC3-HMAC-SHA256 request.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	a, ok := parseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		return errorf(CodeInvalidAuthorization, "Authorization must be %s Credential=<SecretId>/<date>/sms/tc3_request, SignedHeaders=…, Signature=<hex>", tc3Algorithm)
	}
	names, ok := signedHeaderNames(a.signedHeaders)
	if !ok {
		return errorf(CodeInvalidAuthorization, "SignedHeaders %q must be sorted lower-case names including content-type and host", a.signedHeaders)
	}
	tsText := r.Header.Get("X-TC-Timestamp")
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return errorf(CodeMissingParameter, "X-TC-Timestamp must be a Unix time in seconds")
	}
	if s.opts.MaxSkew > 0 {
		skew := s.opts.AuthNow().Sub(time.Unix(ts, 0))
		if skew > s.opts.MaxSkew || skew < -s.opts.MaxSkew {
			return errorf(CodeSignatureExpire, "%s (timestamp %d differs from server time by %s)", messageFor(CodeSignatureExpire), ts, skew.Round(time.Second))
		}
	}
	if a.service != service || a.date != time.Unix(ts, 0).UTC().Format(time.DateOnly) {
		return errorf(CodeSignatureFailure, "%s (credential scope %s/%s does not match the timestamp's UTC date and service sms)", messageFor(CodeSignatureFailure), a.date, a.service)
	}
	creds := s.creds.Load()
	cred, ok := creds.keys[a.secretID]
	if !ok {
		return apiErr(CodeSecretIDNotFound)
	}
	if r.Header.Get("X-TC-Token") != cred.Token {
		return apiErr(CodeTokenFailure)
	}

	sig := tc3Signature(r, body, a, names, tsText, creds.signingKey(a.secretID, cred.SecretKey, a.date))
	if !hmac.Equal(sig[:], a.signature[:]) {
		return apiErr(CodeSignatureFailure)
	}
	return nil
}

// tc3Signature computes the signature of r as the TC3-HMAC-SHA256 document
// describes: canonical request, string to sign, HMAC with the derived key.
func tc3Signature(r *http.Request, body []byte, a authorization, names []string, tsText string, signingKey []byte) [sha256.Size]byte {
	var payloadHash [sha256.Size]byte
	if p := r.Header.Get("X-TC-Content-SHA256"); p == "UNSIGNED-PAYLOAD" {
		payloadHash = sha256.Sum256([]byte(p))
	} else {
		payloadHash = sha256.Sum256(body)
	}
	canonical := make([]byte, 0, 256)
	canonical = append(canonical, r.Method...)
	canonical = append(canonical, "\n/\n"...)
	canonical = append(canonical, r.URL.RawQuery...)
	canonical = append(canonical, '\n')
	for _, n := range names {
		v := r.Host
		if n != "host" {
			v = r.Header.Get(n)
		}
		canonical = append(canonical, n...)
		canonical = append(canonical, ':')
		canonical = append(canonical, strings.ToLower(strings.TrimSpace(v))...)
		canonical = append(canonical, '\n')
	}
	canonical = append(canonical, '\n')
	canonical = append(canonical, a.signedHeaders...)
	canonical = append(canonical, '\n')
	canonical = hex.AppendEncode(canonical, payloadHash[:])
	canonicalHash := sha256.Sum256(canonical)

	toSign := make([]byte, 0, 160)
	toSign = append(toSign, tc3Algorithm+"\n"...)
	toSign = append(toSign, tsText...)
	toSign = append(toSign, '\n')
	toSign = append(toSign, a.date...)
	toSign = append(toSign, '/')
	toSign = append(toSign, a.service...)
	toSign = append(toSign, "/"+tc3Terminator+"\n"...)
	toSign = hex.AppendEncode(toSign, canonicalHash[:])

	mac := hmac.New(sha256.New, signingKey)
	mac.Write(toSign)
	var sig [sha256.Size]byte
	mac.Sum(sig[:0])
	return sig
}

// deriveKey is HMAC(HMAC(HMAC("TC3"+secret, date), service), "tc3_request").
func deriveKey(secret, date, svc string) []byte {
	k := hmacSHA256([]byte("TC3"+secret), date)
	k = hmacSHA256(k, svc)
	return hmacSHA256(k, tc3Terminator)
}
