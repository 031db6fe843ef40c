package wxapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
)

// clock is a settable clock shared by the sandbox and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	// 10:00 Beijing time, far from the daily reset.
	return &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func start(t testing.TB, opts wxapi.Options) *wxapi.Server {
	t.Helper()
	if opts.AppID == "" {
		opts.AppID = testAppID
	}
	if opts.Secret == "" {
		opts.Secret = testSecret
	}
	s, err := wxapi.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// reply is any WeChat reply decoded loosely.
type reply struct {
	ErrCode     *int   `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	OpenLink    string `json:"openlink"`
	URLLink     string `json:"url_link"`
	URLLinkInfo *struct {
		Path       string `json:"path"`
		Query      string `json:"query"`
		ExpireTime int64  `json:"expire_time"`
		EnvVersion string `json:"env_version"`
	} `json:"url_link_info"`
	SchemeInfo *struct {
		AppID      string `json:"appid"`
		Path       string `json:"path"`
		Query      string `json:"query"`
		CreateTime int64  `json:"create_time"`
		ExpireTime int64  `json:"expire_time"`
		EnvVersion string `json:"env_version"`
	} `json:"scheme_info"`
	QuotaInfo *struct {
		RemainVisitQuota int64 `json:"remain_visit_quota"`
	} `json:"quota_info"`
}

func (r reply) code() int {
	if r.ErrCode == nil {
		return 0
	}
	return *r.ErrCode
}

// call POSTs body (a string or a value to marshal) to the sandbox.
func call(t testing.TB, s *wxapi.Server, path, token string, body any) (int, reply) {
	t.Helper()
	status, r, err := callE(s, path, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, r
}

// callE is call for goroutines other than the test's, where t.Fatal is not
// allowed.
func callE(s *wxapi.Server, path, token string, body any) (int, reply, error) {
	var raw []byte
	switch b := body.(type) {
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		// Like a correct client: '&' must not become \u0026 (WeChat, and so
		// the sandbox, answers 40212 to that).
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(b); err != nil {
			return 0, reply{}, err
		}
		raw = buf.Bytes()
	}
	u := s.URL() + path
	if token != "" {
		u += "?access_token=" + url.QueryEscape(token)
	}
	resp, err := http.Post(u, "application/json", bytes.NewReader(raw))
	if err != nil {
		return 0, reply{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, reply{}, err
	}
	var r reply
	if err := json.Unmarshal(data, &r); err != nil {
		return resp.StatusCode, reply{}, fmt.Errorf("reply %q is not JSON: %w", data, err)
	}
	return resp.StatusCode, r, nil
}

func tokenBody(force bool) map[string]any {
	return map[string]any{"grant_type": "client_credential", "appid": testAppID, "secret": testSecret, "force_refresh": force}
}

func getToken(t testing.TB, s *wxapi.Server, force bool) reply {
	t.Helper()
	_, r := call(t, s, wxapi.PathStableToken, "", tokenBody(force))
	if r.code() != 0 {
		t.Fatalf("stable_token: %d %s", r.code(), r.ErrMsg)
	}
	return r
}

func genBody(path, query string, days int) map[string]any {
	return map[string]any{
		"jump_wxa":        map[string]any{"path": path, "query": query, "env_version": "release"},
		"expire_type":     1,
		"expire_interval": days,
	}
}
