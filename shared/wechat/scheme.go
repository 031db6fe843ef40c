package wechat

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Limits from the generateScheme documentation.
const (
	MaxSchemeQuery     = 1024        // characters in jump_wxa.query
	MaxExpireDays      = 30          // longest validity of a scheme
	MinExpireAhead     = time.Minute // shortest validity of a scheme
	maxExpireAhead     = MaxExpireDays * 24 * time.Hour
	schemePrefix       = "weixin://dl/business/"
	queryCharsSpecials = "!#$&'()*+,/:;=?@-._~%"
)

// Env versions accepted by env_version.
const (
	EnvRelease = "release"
	EnvTrial   = "trial"
	EnvDevelop = "develop"
)

// SchemeRequest is what generatescheme is asked for. Exactly one of
// ExpireInterval (days, expire_type 1) and ExpireAt (expire_type 0) is set.
type SchemeRequest struct {
	Path       string // page of the published mini-program, no query; empty opens the home page
	Query      string // ≤ 1024 characters of digits, letters and !#$&'()*+,/:;=?@-._~%
	EnvVersion string // release (default), trial or develop

	ExpireInterval int       // 1–30 days
	ExpireAt       time.Time // more than 1 minute and at most 30 days from now
}

// Scheme is a generated encrypted scheme.
type Scheme struct {
	OpenLink  string // weixin://dl/business/?t=…
	ExpiresAt time.Time
}

// Validate checks what the documentation allows, so that a bad campaign is
// reported as ErrConfig without spending quota. now is the caller's clock.
func (r SchemeRequest) Validate(now time.Time) error { return r.validate(opGenerate, now) }

// validate checks r for op: generate_urllink has the same rules.
func (r SchemeRequest) validate(opGenerate string, now time.Time) error {
	if err := validatePath(opGenerate, r.Path); err != nil {
		return err
	}
	if err := validateQuery(opGenerate, r.Query, MaxSchemeQuery); err != nil {
		return err
	}
	if err := validateEnv(opGenerate, r.EnvVersion); err != nil {
		return err
	}
	switch {
	case r.ExpireInterval != 0 && !r.ExpireAt.IsZero():
		return configError(opGenerate, "both ExpireInterval and ExpireAt are set", "set only one of them")
	case r.ExpireInterval != 0:
		if r.ExpireInterval < 1 || r.ExpireInterval > MaxExpireDays {
			return configError(opGenerate, fmt.Sprintf("expire interval %d days is outside 1–%d", r.ExpireInterval, MaxExpireDays), hints[CodeExpireOutOfRange])
		}
	case !r.ExpireAt.IsZero():
		ahead := r.ExpireAt.Sub(now)
		if ahead <= MinExpireAhead || ahead > maxExpireAhead {
			return configError(opGenerate, fmt.Sprintf("expiry %s is %s away", r.ExpireAt.Format(time.RFC3339), ahead.Round(time.Second)), hints[CodeExpireOutOfRange])
		}
	default:
		return configError(opGenerate, "no expiry", "set ExpireInterval (1–30 days) or ExpireAt")
	}
	return nil
}

func validatePath(op, path string) error {
	if strings.Contains(path, "?") {
		return configError(op, fmt.Sprintf("path %q carries a query", path), "put the query into Query, not Path")
	}
	for _, r := range path {
		if r <= ' ' || r == 0x7f || r > 0x7e {
			return configError(op, fmt.Sprintf("path %q has a character WeChat does not accept", path), hints[CodeInvalidPagePath])
		}
	}
	return nil
}

func validateQuery(op, q string, max int) error {
	if n := len(q); n > max {
		return configError(op, fmt.Sprintf("query is %d characters, more than %d", n, max), fmt.Sprintf("shorten the query to at most %d characters", max))
	}
	for i := 0; i < len(q); i++ {
		if !queryChar(q[i]) {
			return configError(op, fmt.Sprintf("query has character %q at %d", q[i], i), "use only digits, letters and "+queryCharsSpecials+" in the query")
		}
	}
	return nil
}

func queryChar(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || strings.IndexByte(queryCharsSpecials, b) >= 0
}

func validateEnv(op, env string) error {
	switch env {
	case "", EnvRelease, EnvTrial, EnvDevelop:
		return nil
	}
	return configError(op, fmt.Sprintf("env_version %q", env), hints[CodeInvalidEnvVersion])
}

type jumpWxa struct {
	Path       string `json:"path"`
	Query      string `json:"query"`
	EnvVersion string `json:"env_version"`
}

type generateRequest struct {
	JumpWxa jumpWxa `json:"jump_wxa"`
	expiryRequest
}

// expiryRequest is the expiry of generatescheme and generate_urllink, the
// last fields of both bodies.
type expiryRequest struct {
	// IsExpire is no longer needed (every scheme expires) but an old
	// server reading false would make a long-term scheme from the 100 000
	// lifetime quota, so it is sent explicitly.
	IsExpire       bool  `json:"is_expire"`
	ExpireType     int   `json:"expire_type"`
	ExpireTime     int64 `json:"expire_time,omitempty"`
	ExpireInterval int   `json:"expire_interval,omitempty"`
}

// expiry is r's expiry as WeChat takes it, and when the link expires: for
// ExpireInterval counted from start, the request's start, so that it is
// never later than WeChat's.
func (r SchemeRequest) expiry(start time.Time) (expiryRequest, time.Time) {
	if r.ExpireInterval != 0 {
		return expiryRequest{IsExpire: true, ExpireType: 1, ExpireInterval: r.ExpireInterval},
			start.Add(time.Duration(r.ExpireInterval) * 24 * time.Hour)
	}
	e := expiryRequest{IsExpire: true, ExpireType: 0, ExpireTime: r.ExpireAt.Unix()}
	return e, time.Unix(e.ExpireTime, 0)
}

type generateReply struct {
	OpenLink string `json:"openlink"`
}

func (r *generateReply) check() error {
	if !strings.HasPrefix(r.OpenLink, schemePrefix) {
		return errIncomplete
	}
	return nil
}

// GenerateScheme calls wxa/generatescheme. An invalid request fails with
// ErrConfig before any HTTP call. For ExpireInterval the returned ExpiresAt
// counts from the request's start, so it is never later than WeChat's.
func (c *Client) GenerateScheme(ctx context.Context, accessToken string, req SchemeRequest) (Scheme, error) {
	start := c.now()
	if accessToken == "" {
		return Scheme{}, configError(opGenerate, "no access token", "pass a token from StableToken")
	}
	if err := req.Validate(start); err != nil {
		return Scheme{}, err
	}
	env := req.EnvVersion
	if env == "" {
		env = EnvRelease
	}
	exp, expires := req.expiry(start)
	body := generateRequest{JumpWxa: jumpWxa{Path: req.Path, Query: req.Query, EnvVersion: env}, expiryRequest: exp}
	var out generateReply
	if err := c.post(ctx, opGenerate, "/wxa/generatescheme", accessToken, body, &out); err != nil {
		return Scheme{}, err
	}
	return Scheme{OpenLink: out.OpenLink, ExpiresAt: expires}, nil
}
