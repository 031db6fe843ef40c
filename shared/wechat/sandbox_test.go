package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

func TestStableTokenAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{})
	ctx := context.Background()

	tok, err := c.StableToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := clk.Now().Add(7200 * time.Second); !tok.ExpiresAt.Equal(want) || tok.AccessToken == "" {
		t.Fatalf("token expires %s, want %s", tok.ExpiresAt, want)
	}
	clk.Advance(time.Hour)
	again, err := c.StableToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if again.AccessToken != tok.AccessToken || !again.ExpiresAt.Equal(tok.ExpiresAt) {
		t.Fatalf("normal call changed the token or its expiry: %s vs %s", again, tok)
	}
	forced, err := c.StableToken(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if forced.AccessToken == tok.AccessToken {
		t.Fatal("force refresh kept the token")
	}
	_, err = c.StableToken(ctx, true)
	if !errors.Is(err, wechat.ErrRateLimited) {
		t.Fatalf("second force refresh within 30 s: %v, want ErrRateLimited", err)
	}
	if n := s.Calls(wxapi.PathStableToken); n != 4 {
		t.Fatalf("%d stable_token calls, want 4", n)
	}
}

func TestStableTokenErrorsAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, _ := sandbox(t, clk, wxapi.Options{IPWhitelist: []string{"10.1.2.3"}})
	ctx := context.Background()

	_, err := wechat.New(s.URL(), testAppID, testSecret, nil).StableToken(ctx, false)
	if !errors.Is(err, wechat.ErrConfig) || !strings.Contains(err.Error(), "add the SCF egress IP to the mini-program's API IP whitelist") {
		t.Fatalf("40164: %v", err)
	}
	_, err = wechat.New(s.URL(), testAppID, "wrong-secret", nil).StableToken(ctx, false)
	var we *wechat.Error
	if !errors.As(err, &we) || we.Code != 40125 || !errors.Is(err, wechat.ErrConfig) {
		t.Fatalf("wrong secret: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret") {
		t.Fatalf("error leaks the secret: %v", err)
	}
	_, err = wechat.New(s.URL(), "wxffffffffffffffff", testSecret, nil).StableToken(ctx, false)
	if !errors.As(err, &we) || we.Code != 40013 || !strings.Contains(err.Error(), "WECHAT_APPID") {
		t.Fatalf("wrong appid: %v", err)
	}
}

func TestGenerateAndQueryAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{RemainVisitQuota: 42})
	ctx := context.Background()
	token := s.Token()

	// '&' in the query must reach WeChat literally: the sandbox, like
	// WeChat, answers 40212 to a=1\u0026b=2.
	sch, err := c.GenerateScheme(ctx, token, wechat.SchemeRequest{Path: "pages/index/index", Query: "c=spring&k=ab12cd", ExpireInterval: 30})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sch.OpenLink, "weixin://dl/business/?t=") || !sch.ExpiresAt.Equal(clk.Now().Add(30*24*time.Hour)) {
		t.Fatalf("scheme %+v", sch)
	}
	issued := s.Schemes()
	if len(issued) != 1 || issued[0].Query != "c=spring&k=ab12cd" || issued[0].EnvVersion != "release" || issued[0].OpenLink != sch.OpenLink {
		t.Fatalf("sandbox recorded %+v", issued)
	}

	at := clk.Now().Add(2 * time.Hour).Truncate(time.Second)
	sch2, err := c.GenerateScheme(ctx, token, wechat.SchemeRequest{Path: "pages/shop/item", EnvVersion: "trial", ExpireAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if !sch2.ExpiresAt.Equal(at) || !s.Schemes()[1].ExpiresAt.Equal(at) {
		t.Fatalf("expire_time: client %s, sandbox %s, want %s", sch2.ExpiresAt, s.Schemes()[1].ExpiresAt, at)
	}

	info, err := c.QueryScheme(ctx, token, sch.OpenLink+"&cq=r%3D1", wechat.QuerySchemeInfo)
	if err != nil {
		t.Fatal(err)
	}
	want := wechat.SchemeInfo{
		AppID: testAppID, Path: "pages/index/index", Query: "c=spring&k=ab12cd", EnvVersion: "release",
		CreatedAt: clk.Now(), ExpiresAt: sch.ExpiresAt, RemainVisitQuota: -1,
	}
	if !info.CreatedAt.Equal(want.CreatedAt) || !info.ExpiresAt.Equal(want.ExpiresAt) {
		t.Fatalf("times %s/%s, want %s/%s", info.CreatedAt, info.ExpiresAt, want.CreatedAt, want.ExpiresAt)
	}
	info.CreatedAt, info.ExpiresAt, want.CreatedAt, want.ExpiresAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if info != want {
		t.Fatalf("info %+v\nwant %+v", info, want)
	}

	quota, err := c.QueryScheme(ctx, token, "", wechat.QueryVisitQuota)
	if err != nil || quota.RemainVisitQuota != 42 {
		t.Fatalf("quota %+v, %v", quota, err)
	}

	plain := wechat.PlaintextScheme(testAppID, "/pages/shop/item", "id=7&from=sms", "")
	pinfo, err := c.QueryScheme(ctx, token, plain, wechat.QuerySchemeInfo)
	if err != nil || pinfo.Path != "pages/shop/item" || pinfo.Query != "id=7&from=sms" || !pinfo.ExpiresAt.IsZero() {
		t.Fatalf("plaintext info %+v, %v", pinfo, err)
	}

	_, err = c.QueryScheme(ctx, token, "weixin://dl/business/?t=XTSkBZlzqmn", wechat.QuerySchemeInfo)
	if !errors.Is(err, wechat.ErrSchemeNotFound) {
		t.Fatalf("unknown scheme: %v", err)
	}
}

func TestGenerateErrorKindsAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{DailyQuota: 1, PerSecondLimit: 2, Pages: []string{"pages/index/index"}})
	ctx := context.Background()
	req := wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 1}

	old := s.Token()
	s.ForceRefreshFromElsewhere()
	if _, err := c.GenerateScheme(ctx, old, req); !errors.Is(err, wechat.ErrTokenInvalid) {
		t.Fatalf("token replaced elsewhere: %v", err)
	}
	token := s.Token()
	clk.Advance(time.Second)
	if _, err := c.GenerateScheme(ctx, token, wechat.SchemeRequest{Path: "pages/other", ExpireInterval: 1}); !errors.Is(err, wechat.ErrConfig) || !strings.Contains(err.Error(), "errcode 40165") {
		t.Fatalf("unknown page: %v", err)
	}
	if _, err := c.GenerateScheme(ctx, token, req); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GenerateScheme(ctx, token, req); !errors.Is(err, wechat.ErrRateLimited) {
		t.Fatalf("3rd call in one second: %v", err)
	}
	clk.Advance(time.Second)
	if _, err := c.GenerateScheme(ctx, token, req); !errors.Is(err, wechat.ErrQuotaExhausted) || errors.Is(err, wechat.ErrOpensExhausted) {
		t.Fatalf("over daily quota: %v", err)
	}
	clk.Advance(3 * time.Hour)
	if _, err := c.GenerateScheme(ctx, token, req); !errors.Is(err, wechat.ErrTokenInvalid) {
		t.Fatalf("expired token: %v", err)
	}
}

func TestInjectedFailuresAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{})
	ctx := context.Background()
	token := s.Token()
	req := wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 1}
	tests := []struct {
		code int
		want error
	}{
		{-1, wechat.ErrTransient},
		{85406, wechat.ErrOpensExhausted},
		{85406, wechat.ErrQuotaExhausted},
		{45009, wechat.ErrQuotaExhausted},
		{85079, wechat.ErrConfig},
		{40002, wechat.ErrConfig},
	}
	for _, tt := range tests {
		s.Inject(wxapi.PathGenerateScheme, tt.code, 1)
		_, err := c.GenerateScheme(ctx, token, req)
		var we *wechat.Error
		if !errors.Is(err, tt.want) || !errors.As(err, &we) || we.Code != tt.code {
			t.Errorf("errcode %d: %v, want %v", tt.code, err, tt.want)
		}
	}
	s.InjectHTTP(wxapi.PathGenerateScheme, http.StatusBadGateway, 1)
	_, err := c.GenerateScheme(ctx, token, req)
	var we *wechat.Error
	if !errors.Is(err, wechat.ErrTransient) || !errors.As(err, &we) || we.HTTPStatus != 502 {
		t.Fatalf("HTTP 502: %v", err)
	}
	if _, err := c.GenerateScheme(ctx, token, req); err != nil {
		t.Fatalf("after the injections: %v", err)
	}
}

func TestDeadlineAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{})
	token := s.Token()
	s.SetLatency(wxapi.PathGenerateScheme, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.GenerateScheme(ctx, token, wechat.SchemeRequest{ExpireInterval: 1})
	if !errors.Is(err, wechat.ErrTransient) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrTransient wrapping the deadline", err)
	}
	if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "access_token") {
		t.Fatalf("error leaks the token: %v", err)
	}
}

// BenchmarkGenerateScheme is one full round trip to the sandbox over
// loopback: encode, HTTP, sandbox checks, decode.
func BenchmarkGenerateScheme(b *testing.B) {
	s, err := wxapi.Start(wxapi.Options{AppID: testAppID, Secret: testSecret, PerSecondLimit: 1 << 30, DailyQuota: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := wechat.New(s.URL(), testAppID, testSecret, nil)
	token := s.Token()
	req := wechat.SchemeRequest{Path: "pages/index/index", Query: "c=spring&k=ab12cd", ExpireInterval: 30}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GenerateScheme(ctx, token, req); err != nil {
			b.Fatal(err)
		}
	}
}
