package wxapi

import (
	"net"
	"net/http"
	"slices"
	"time"
)

// Limits from the getStableAccessToken documentation.
const (
	tokenPerMinute      = 10000
	tokenPerDay         = 500000
	forceRefreshPerDay  = 20
	forceRefreshSpacing = 30 * time.Second
)

type tokenEntry struct {
	value   string
	expires time.Time
	revoked bool // invalidated by a force refresh
}

type tokenState struct {
	tokens    map[string]*tokenEntry // every token issued and not yet pruned
	current   *tokenEntry
	minute    window
	day       window
	forceDay  window
	lastForce time.Time
}

type tokenRequest struct {
	GrantType    string `json:"grant_type"`
	AppID        string `json:"appid"`
	Secret       string `json:"secret"`
	ForceRefresh bool   `json:"force_refresh"`
}

type tokenReply struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

// renewAhead is how long before expiry a normal call already gets the next
// token. The doc says the platform renews 5 minutes early; that is 1/24 of
// the 7200 s TTL, and scaling keeps short test TTLs meaningful.
func (s *Server) renewAhead() time.Duration { return s.opts.TokenTTL / 24 }

func (s *Server) stableToken(r *http.Request) (int, any) {
	var req tokenRequest
	b, err := readBody(r)
	if err == nil {
		// A form-encoded or broken body reads as one without appid (41002),
		// which is what WeChat answers; a wrong field type is 47001.
		if syntax, derr := decodeStrict(b, &req); derr != nil && !syntax {
			return http.StatusOK, apiError(PathStableToken, 47001)
		} else if syntax {
			req = tokenRequest{}
		}
	}
	switch {
	case req.AppID == "":
		return http.StatusOK, apiError(PathStableToken, 41002)
	case req.GrantType != "client_credential":
		return http.StatusOK, apiError(PathStableToken, 40002)
	case req.AppID != s.opts.AppID:
		return http.StatusOK, apiError(PathStableToken, 40013)
	case req.Secret == "":
		return http.StatusOK, apiError(PathStableToken, 41004)
	case req.Secret != s.opts.Secret:
		return http.StatusOK, apiError(PathStableToken, 40125)
	}
	if ip, ok := s.whitelisted(r); !ok {
		return http.StatusOK, apiErrorMsg(40164, "invalid ip "+ip+" ipv6 ::ffff:"+ip+", not in whitelist")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	t := &s.tok
	if !t.minute.add(minuteKey(now), tokenPerMinute) {
		return http.StatusOK, apiError(PathStableToken, 45011)
	}
	if !t.day.add(dayKey(now), tokenPerDay) {
		return http.StatusOK, apiError(PathStableToken, 45009)
	}
	if req.ForceRefresh {
		// The doc limits force refresh to 20 a day, 30 s apart, and lists
		// 45011 as this API's frequency-limit errcode, so both limits
		// answer 45011.
		if !t.lastForce.IsZero() && now.Sub(t.lastForce) < forceRefreshSpacing {
			return http.StatusOK, apiError(PathStableToken, 45011)
		}
		if !t.forceDay.add(dayKey(now), forceRefreshPerDay) {
			return http.StatusOK, apiError(PathStableToken, 45011)
		}
		t.lastForce = now
		s.revokeLocked(now)
		s.issueLocked(now)
	} else if t.current == nil || !now.Before(t.current.expires.Add(-s.renewAhead())) {
		// The previous token stays valid until its own expiry.
		s.issueLocked(now)
	}
	return http.StatusOK, tokenReply{
		AccessToken: t.current.value,
		ExpiresIn:   int64(t.current.expires.Sub(now) / time.Second),
	}
}

func (s *Server) whitelisted(r *http.Request) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.opts.IPWhitelist) == 0 {
		return host, true
	}
	return host, slices.Contains(s.opts.IPWhitelist, host)
}

// issueLocked makes a new current token and prunes tokens that expired a
// day ago (until then they still answer 42001 rather than 40001).
func (s *Server) issueLocked(now time.Time) {
	for v, e := range s.tok.tokens {
		if now.Sub(e.expires) > 24*time.Hour {
			delete(s.tok.tokens, v)
		}
	}
	e := &tokenEntry{value: newAccessToken(), expires: now.Add(s.opts.TokenTTL)}
	s.tok.tokens[e.value] = e
	s.tok.current = e
}

// revokeLocked invalidates every live token, as a force refresh does.
func (s *Server) revokeLocked(now time.Time) {
	for _, e := range s.tok.tokens {
		if now.Before(e.expires) {
			e.revoked = true
		}
	}
}

// checkToken returns 0 if token may call the API, else the errcode.
func (s *Server) checkToken(token string) int {
	if token == "" {
		return 41001
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.tok.tokens[token]
	switch {
	case !ok, e.revoked:
		return 40001
	case !s.opts.Now().Before(e.expires):
		return 42001
	}
	return 0
}

// Token returns the token a normal (non-force) stable_token call would get
// now, without counting the call. Handy for tests of code that only needs a
// valid token.
func (s *Server) Token() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	if s.tok.current == nil || !now.Before(s.tok.current.expires.Add(-s.renewAhead())) {
		s.issueLocked(now)
	}
	return s.tok.current.value
}

// ForceRefreshFromElsewhere simulates another server calling stable_token
// with force_refresh: every live token stops working at once and a new one
// is current. It bypasses the force-refresh limits, which model WeChat's
// quota, not the effect under test. It returns the new token.
func (s *Server) ForceRefreshFromElsewhere() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	s.revokeLocked(now)
	s.issueLocked(now)
	return s.tok.current.value
}
