package wxapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Limits from the generateScheme documentation.
const (
	maxQuery       = 1024
	maxExpireDays  = 30
	minExpireAhead = time.Minute
	schemePrefix   = "weixin://dl/business/"
	querySpecials  = "!#$&'()*+,/:;=?@-._~%"
)

// IssuedScheme is a scheme the sandbox generated.
type IssuedScheme struct {
	OpenLink   string // weixin://dl/business/?t=TICKET
	Ticket     string
	AppID      string
	Path       string
	Query      string
	EnvVersion string
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

type genState struct {
	second  window
	day     window
	schemes map[string]*IssuedScheme // by ticket
	order   []string
	// URL Links, by the path of their url_link.
	links     map[string]*IssuedScheme
	linkOrder []string
}

// generateBody uses pointers and raw messages to tell absent fields from
// zero ones and to see how the query was written.
type generateBody struct {
	JumpWxa *jumpBody `json:"jump_wxa"`
	expiryBody
}

// jumpBody is the target: jump_wxa of generatescheme, the top level of
// generate_urllink.
type jumpBody struct {
	Path       *string         `json:"path"`
	Query      json.RawMessage `json:"query"`
	EnvVersion *string         `json:"env_version"`
}

type expiryBody struct {
	IsExpire       *bool  `json:"is_expire"`
	ExpireType     *int   `json:"expire_type"`
	ExpireTime     *int64 `json:"expire_time"`
	ExpireInterval *int   `json:"expire_interval"`
}

type generateReply struct {
	ErrCode  int    `json:"errcode"`
	ErrMsg   string `json:"errmsg"`
	OpenLink string `json:"openlink"`
}

func (s *Server) generateScheme(r *http.Request) (int, any) {
	now, b, code := s.admitGenerate(r)
	if code != 0 {
		return http.StatusOK, apiError(PathGenerateScheme, code)
	}
	var body generateBody
	if _, err := decodeStrict(b, &body); err != nil {
		return http.StatusOK, apiError(PathGenerateScheme, 47001)
	}
	sch, code := s.validateGenerate(body.JumpWxa, &body.expiryBody, now)
	if code != 0 {
		return http.StatusOK, apiError(PathGenerateScheme, code)
	}
	if !s.issue(sch, now, s.gen.schemes, &s.gen.order, func(t string) string { return schemePrefix + "?t=" + t }) {
		return http.StatusOK, apiError(PathGenerateScheme, 44993)
	}
	return http.StatusOK, generateReply{ErrCode: 0, ErrMsg: "ok", OpenLink: sch.OpenLink}
}

// admitGenerate is what generatescheme and generate_urllink check before
// they read the body, in WeChat's order: the token, the per-second window,
// the day's quota (both shared by the two); then it reads the body. A
// non-zero code is the errcode to answer.
func (s *Server) admitGenerate(r *http.Request) (now time.Time, b []byte, code int) {
	if code := s.checkToken(r.URL.Query().Get("access_token")); code != 0 {
		return now, nil, code
	}
	now = s.opts.Now()
	s.mu.Lock()
	okSecond := s.gen.second.add(secondKey(now), s.opts.PerSecondLimit)
	quotaLeft := s.gen.day.used(dayKey(now)) < s.opts.DailyQuota
	s.mu.Unlock()
	if !okSecond {
		return now, nil, 44990
	}
	if !quotaLeft {
		return now, nil, 44993
	}
	b, err := readBody(r)
	if errors.Is(err, errEmptyBody) {
		return now, nil, 44002
	} else if err != nil {
		return now, nil, 47001
	}
	return now, b, 0
}

// issue counts sch against the day's quota and stores it in byTicket and
// order under a fresh ticket, link(ticket) being its OpenLink. It is
// counted on success only, and checked again: concurrent callers may have
// used the last of the quota since admitGenerate; false means it is spent.
func (s *Server) issue(sch *IssuedScheme, now time.Time, byTicket map[string]*IssuedScheme, order *[]string, link func(ticket string) string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.gen.day.add(dayKey(now), s.opts.DailyQuota) {
		return false
	}
	for {
		sch.Ticket = newTicket()
		if _, dup := byTicket[sch.Ticket]; !dup {
			break
		}
	}
	sch.OpenLink = link(sch.Ticket)
	byTicket[sch.Ticket] = sch
	*order = append(*order, sch.Ticket)
	return true
}

// validateGenerate applies the documented rules in the order: path, query,
// env_version, expiry. It returns the scheme to issue or an errcode.
func (s *Server) validateGenerate(j *jumpBody, body *expiryBody, now time.Time) (*IssuedScheme, int) {
	sch := &IssuedScheme{AppID: s.opts.AppID, EnvVersion: "release", CreatedAt: now}
	if j != nil {
		if j.Path != nil {
			sch.Path = *j.Path
		}
		if len(j.Query) > 0 && string(j.Query) != "null" {
			if err := json.Unmarshal(j.Query, &sch.Query); err != nil {
				return nil, 47001
			}
			// Observed, not documented: WeChat does not decode JSON escapes
			// in query, so a=1\u0026b=2 (Go's default encoding of '&')
			// fails with 40212.
			if bytes.Contains(j.Query, []byte(`\u`)) {
				return nil, 40212
			}
		}
		if j.EnvVersion != nil && *j.EnvVersion != "" {
			sch.EnvVersion = *j.EnvVersion
		}
	}
	if !s.validPath(sch.Path) {
		return nil, 40165
	}
	if !validQuery(sch.Query) {
		return nil, 40212
	}
	if !slices.Contains([]string{"release", "trial", "develop"}, sch.EnvVersion) {
		return nil, 85402
	}
	expireType := 0 // documented default
	if body.ExpireType != nil {
		expireType = *body.ExpireType
	}
	switch expireType {
	case 0:
		if body.ExpireTime == nil {
			return nil, 85401
		}
		exp := time.Unix(*body.ExpireTime, 0)
		if ahead := exp.Sub(now); ahead <= minExpireAhead || ahead > maxExpireDays*24*time.Hour {
			return nil, 85401
		}
		sch.ExpiresAt = exp
	case 1:
		if body.ExpireInterval == nil || *body.ExpireInterval < 1 || *body.ExpireInterval > maxExpireDays {
			return nil, 85401
		}
		sch.ExpiresAt = now.Add(time.Duration(*body.ExpireInterval) * 24 * time.Hour)
	default:
		// Not documented; WeChat's generic answer to a bad value.
		return nil, 85401
	}
	return sch, 0
}

// validPath: a page of the published mini-program, without a query. An
// empty path opens the home page. A leading "/" is accepted, as WeChat does.
func (s *Server) validPath(p string) bool {
	for _, r := range p {
		if r <= ' ' || r > '~' || r == '?' {
			return false
		}
	}
	if s.pages == nil || p == "" {
		return true
	}
	return s.pages[strings.TrimLeft(p, "/")]
}

func validQuery(q string) bool {
	if len(q) > maxQuery {
		return false
	}
	for i := 0; i < len(q); i++ {
		c := q[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(querySpecials, c) >= 0) {
			return false
		}
	}
	return true
}

// Schemes returns the schemes generated so far, oldest first.
func (s *Server) Schemes() []IssuedScheme {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]IssuedScheme, 0, len(s.gen.order))
	for _, t := range s.gen.order {
		out = append(out, *s.gen.schemes[t])
	}
	return out
}
