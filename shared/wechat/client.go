package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is WeChat's API host; WECHAT_API_BASE overrides it.
const DefaultBaseURL = "https://api.weixin.qq.com"

// DefaultTimeout bounds one call when New builds the HTTP client. WeChat
// answers in well under a second; get-scheme must stay responsive.
const DefaultTimeout = 10 * time.Second

// maxReply caps how much of a reply is read: documented replies are tiny.
const maxReply = 1 << 20

const (
	opToken    = "stable_token"
	opGenerate = "generatescheme"
	opQuery    = "queryscheme"
	opURLLink  = "generate_urllink"
	opQueryURL = "query_urllink"
	opTicket   = "getticket"
)

// Client calls the WeChat server API of one mini-program. It is safe for
// concurrent use once its exported fields are set. It does not retry and does
// not cache tokens; that is the caller's job (see package token).
type Client struct {
	// Now is the clock used for expiry times and client-side validation.
	Now func() time.Time
	// Logger receives one debug line per call (never a secret or token).
	Logger *slog.Logger

	base   string
	appID  string
	secret string
	hc     *http.Client
}

// New returns a client for the API at baseURL (e.g. DefaultBaseURL or a
// sandbox's URL). A nil hc gets a client with DefaultTimeout that does not
// follow redirects: a redirect would carry the access token to another host.
func New(baseURL, appID, secret string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{
			Timeout:       DefaultTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	return &Client{
		Now:    time.Now,
		base:   strings.TrimRight(baseURL, "/"),
		appID:  appID,
		secret: secret,
		hc:     hc,
	}
}

// AppID returns the mini-program's AppID the client was built with.
func (c *Client) AppID() string { return c.appID }

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// post sends body as JSON to path (with access_token when token is not empty)
// and decodes the reply into out. Every error is an *Error.
func (c *Client) post(ctx context.Context, op, path, token string, body any, out reply) error {
	return c.call(ctx, http.MethodPost, op, path, token, "", body, out)
}

// call is post, or a GET without a body when method is GET; query is added
// after access_token.
func (c *Client) call(ctx context.Context, method, op, path, token, query string, body any, out reply) error {
	start := time.Now()
	var buf bytes.Buffer
	if method == http.MethodPost {
		enc := json.NewEncoder(&buf)
		// WeChat rejects a query written as a=1\u0026b=2 with 40212, so '&', '<'
		// and '>' must go out literally.
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			return &Error{Op: op, Msg: "encode request", Kind: ErrConfig, Err: err}
		}
	}
	target := c.base + path
	sep := "?"
	if token != "" {
		target += "?access_token=" + url.QueryEscape(token)
		sep = "&"
	}
	if query != "" {
		target += sep + query
	}
	secrets := []string{c.secret, token}
	req, err := http.NewRequestWithContext(ctx, method, target, &buf)
	if err != nil {
		return &Error{Op: op, Msg: "invalid API base URL", Hint: "check WECHAT_API_BASE", Kind: ErrConfig, Err: sanitize(err, secrets...)}
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")

	resp, err := c.hc.Do(req)
	if err != nil {
		e := &Error{Op: op, Msg: "request failed", Kind: ErrTransient, Err: sanitize(err, secrets...)}
		c.logCall(ctx, op, 0, e, start)
		return e
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		e := &Error{Op: op, Msg: "read reply", HTTPStatus: resp.StatusCode, Kind: ErrTransient, Err: sanitize(err, secrets...)}
		c.logCall(ctx, op, resp.StatusCode, e, start)
		return e
	}
	derr := decodeReply(op, resp.StatusCode, raw, out)
	if derr != nil {
		// WeChat never echoes credentials, but a misconfigured base URL might
		// point at something that does.
		derr.Msg = redact(derr.Msg, secrets...)
	}
	c.logCall(ctx, op, resp.StatusCode, derr, start)
	if derr != nil {
		return derr
	}
	return nil
}

func (c *Client) logCall(ctx context.Context, op string, status int, err *Error, start time.Time) {
	l := c.logger()
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"op", op, "status", status, "duration", time.Since(start)}
	if err != nil {
		attrs = append(attrs, "errcode", err.Code, "error", err.Error())
	}
	l.DebugContext(ctx, "wechat call", attrs...)
}
