package wechat_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

func TestURLLinkAgainstSandbox(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{Pages: []string{"pages/index/index"}, DailyQuota: 2})
	ctx := context.Background()
	tok, err := c.StableToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	req := wechat.SchemeRequest{Path: "pages/index/index", Query: "from=sms&c=spring", ExpireInterval: 30}
	l, err := c.GenerateURLLink(ctx, tok.AccessToken, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.URL, "https://wxaurl.cn/") || !l.ExpiresAt.Equal(clk.Now().Add(30*24*time.Hour)) {
		t.Fatalf("link %+v", l)
	}
	// The target went to WeChat at the top level (a jump_wxa would open
	// the home page).
	info, err := c.QueryURLLink(ctx, tok.AccessToken, l.URL+"?cq=r%3DAB", wechat.QuerySchemeInfo)
	if err != nil {
		t.Fatal(err)
	}
	if info.Path != req.Path || info.Query != req.Query || info.EnvVersion != "release" || !info.ExpiresAt.Equal(l.ExpiresAt) {
		t.Fatalf("query_urllink %+v", info)
	}
	q, err := c.QueryURLLink(ctx, tok.AccessToken, "", wechat.QueryVisitQuota)
	if err != nil || q.RemainVisitQuota != wxapi.DefaultRemainVisitQuota {
		t.Fatalf("visit quota %+v %v", q, err)
	}

	// Client-side checks cost no call.
	before := s.Calls(wxapi.PathGenerateURLLink)
	if _, err := c.GenerateURLLink(ctx, tok.AccessToken, wechat.SchemeRequest{Path: "pages/index/index?x=1", ExpireInterval: 1}); !errors.Is(err, wechat.ErrConfig) {
		t.Errorf("query in path: %v", err)
	}
	if s.Calls(wxapi.PathGenerateURLLink) != before {
		t.Error("an invalid request reached WeChat")
	}
	// The quota is shared with schemes: one scheme uses up the second slot.
	if _, err := c.GenerateScheme(ctx, tok.AccessToken, req); err != nil {
		t.Fatal(err)
	}
	_, err = c.GenerateURLLink(ctx, tok.AccessToken, req)
	var we *wechat.Error
	if !errors.Is(err, wechat.ErrQuotaExhausted) || !errors.As(err, &we) || we.Code != 44993 || we.Op != "generate_urllink" {
		t.Fatalf("after the daily quota: %v", err)
	}
	if _, err := c.QueryURLLink(ctx, tok.AccessToken, "https://wxaurl.cn/nope0000000", wechat.QuerySchemeInfo); !errors.Is(err, wechat.ErrSchemeNotFound) {
		t.Errorf("unknown link: %v", err)
	}
}
