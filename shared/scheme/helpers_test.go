package scheme

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
	testOrigin = "https://h5.example.cn"
)

// t0 starts the test clock. It is the real time because the sandbox and
// the token source judge token expiry on the wall clock.
var t0 = time.Now().Truncate(time.Second)

// clock is the service's and the WeChat client's clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
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

// staticCampaigns are the campaigns every test environment knows.
var staticCampaigns = map[string]config.StaticCampaign{
	"spring": {Path: "pages/index/index", Query: "from=sms"},
	"later":  {Path: "pages/index/index", Start: t0.Add(time.Hour)},
	"over":   {Path: "pages/index/index", End: t0},
	"trial":  {Path: "pages/trial/index", EnvVersion: "trial"},
}

// env is one get-scheme instance against the sandbox WeChat API.
type env struct {
	svc   *Service
	wx    *wxapi.Server
	st    store.Store
	links *link.Registry
	clock *clock
	wc    *wechat.Client
}

type envOption func(*Options)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newSandbox(t testing.TB) *wxapi.Server {
	t.Helper()
	wx, err := wxapi.Start(wxapi.Options{AppID: testAppID, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = wx.Close() })
	return wx
}

func newMemStore(t testing.TB) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// newEnv builds a service; wx and st may be shared between envs to model
// several instances.
func newEnv(t testing.TB, wx *wxapi.Server, st store.Store, c *clock, opts ...envOption) *env {
	t.Helper()
	if wx == nil {
		wx = newSandbox(t)
	}
	if st == nil {
		st = newMemStore(t)
	}
	if c == nil {
		c = &clock{t: t0}
	}
	wc := wechat.New(wx.URL(), testAppID, testSecret, nil)
	wc.Now = c.Now
	wc.Logger = quiet()
	src := token.New(wc, st, token.Options{AppID: testAppID, Logger: quiet(), Now: c.Now})
	links := link.NewRegistry(st, staticCampaigns, link.Options{Now: c.Now})
	o := Options{
		AppID:          testAppID,
		AllowedOrigins: []string{testOrigin},
		Backoff:        10 * time.Millisecond,
		Now:            c.Now,
		Logger:         quiet(),
	}
	for _, f := range opts {
		f(&o)
	}
	svc, err := New(links, st, wc, src, o)
	if err != nil {
		t.Fatal(err)
	}
	return &env{svc: svc, wx: wx, st: st, links: links, clock: c, wc: wc}
}

// reply is a decoded answer.
type reply struct {
	Status int
	Header http.Header
	OK     answer
	Err    errorAnswer
}

// get runs one request through the handler from ip.
func (e *env) get(t testing.TB, target string, header map[string]string) reply {
	t.Helper()
	return e.do(t, http.MethodGet, target, "111.206.96.145", header)
}

func (e *env) do(t testing.TB, method, target, ip string, header map[string]string) reply {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	r.RemoteAddr = ip + ":5555"
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.svc.ServeHTTP(w, r)
	return decodeReply(t, w.Code, w.Header(), w.Body.Bytes())
}

func decodeReply(t testing.TB, status int, h http.Header, body []byte) reply {
	t.Helper()
	rep := reply{Status: status, Header: h}
	if h.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", h.Get("Cache-Control"))
	}
	if c := h.Values("Set-Cookie"); len(c) > 0 {
		t.Errorf("answer sets cookies: %v", c)
	}
	if status == http.StatusNoContent {
		return rep
	}
	var err error
	if status == http.StatusOK {
		err = json.Unmarshal(body, &rep.OK)
	} else {
		err = json.Unmarshal(body, &rep.Err)
		if err == nil && rep.Err.Message == "" {
			t.Errorf("error %q without a message", rep.Err.Error)
		}
	}
	if err != nil {
		t.Fatalf("status %d body %q: %v", status, body, err)
	}
	return rep
}

func (e *env) generated() int { return e.wx.Calls(wxapi.PathGenerateScheme) }

// requireServer returns the value of env var name, skipping the test when it
// is unset unless SMSJUMP_REQUIRE_SERVERS=1.
func requireServer(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
			t.Fatalf("%s is not set and SMSJUMP_REQUIRE_SERVERS=1", name)
		}
		t.Skipf("%s is not set", name)
	}
	return v
}

func linkTarget(path, query, env string) link.Target {
	return link.Target{Path: path, Query: query, EnvVersion: env}
}

// campaignN is the i-th campaign of multi-target tests, each a distinct target.
func campaignN(i int) link.Campaign {
	id := "c" + itoa(int64(i))
	return link.Campaign{ID: id, Target: link.Target{Path: "pages/index/index", Query: "campaign=" + id}}
}
