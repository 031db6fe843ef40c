package wechat_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "s3cr3t-0123456789abcdef0123456789"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)} }

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

// sandbox starts a wxapi sandbox sharing clk and a client pointed at it.
func sandbox(t testing.TB, clk *clock, opts wxapi.Options) (*wxapi.Server, *wechat.Client) {
	t.Helper()
	opts.AppID, opts.Secret, opts.Now = testAppID, testSecret, clk.Now
	s, err := wxapi.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c := wechat.New(s.URL(), testAppID, testSecret, nil)
	c.Now = clk.Now
	return s, c
}

// noHTTP fails the test if the client makes any request.
type noHTTP struct{ t testing.TB }

func (n noHTTP) RoundTrip(r *http.Request) (*http.Response, error) {
	n.t.Errorf("unexpected HTTP call to %s", r.URL.Path)
	return nil, http.ErrUseLastResponse
}
