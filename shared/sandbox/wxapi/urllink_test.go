package wxapi_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

func linkBody(path, query string, days int) map[string]any {
	return map[string]any{"path": path, "query": query, "env_version": "release", "expire_type": 1, "expire_interval": days}
}

var urlLinkShape = regexp.MustCompile(`^https://wxaurl\.cn/[A-Za-z0-9]{11}$`)

func TestURLLinkGenerateAndQuery(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, Pages: []string{"pages/index/index"}})
	token := s.Token()

	_, r := call(t, s, wxapi.PathGenerateURLLink, token, linkBody("pages/index/index", "from=sms&c=spring", 30))
	if r.code() != 0 || !urlLinkShape.MatchString(r.URLLink) {
		t.Fatalf("generate_urllink: %d %s %q", r.code(), r.ErrMsg, r.URLLink)
	}
	// Queried with a cq appended, as the documentation's example is.
	_, q := call(t, s, wxapi.PathQueryURLLink, token, map[string]any{"url_link": r.URLLink + "?cq=r%3DAB12", "query_type": 0})
	if q.code() != 0 || q.URLLinkInfo == nil {
		t.Fatalf("query_urllink: %d %s", q.code(), q.ErrMsg)
	}
	if i := q.URLLinkInfo; i.Path != "pages/index/index" || i.Query != "from=sms&c=spring" || i.EnvVersion != "release" ||
		i.ExpireTime != clk.Now().Add(30*24*time.Hour).Unix() {
		t.Errorf("url_link_info = %+v", *i)
	}
	_, q = call(t, s, wxapi.PathQueryURLLink, token, map[string]any{"url_link": "https://wxaurl.cn/AAAAAAAAAAA"})
	if q.code() != 85403 {
		t.Errorf("unknown link: errcode %d, want 85403", q.code())
	}
	_, q = call(t, s, wxapi.PathQueryURLLink, token, map[string]any{"query_type": 1})
	if q.code() != 0 || q.QuotaInfo == nil || q.QuotaInfo.RemainVisitQuota != wxapi.DefaultRemainVisitQuota {
		t.Errorf("query_type 1: %+v", q)
	}

	// A generatescheme body is accepted but its jump_wxa is not a URL Link
	// field: WeChat ignores unknown fields, so the link opens the home page.
	_, r = call(t, s, wxapi.PathGenerateURLLink, token, genBody("pages/index/index", "a=1", 1))
	_, q = call(t, s, wxapi.PathQueryURLLink, token, map[string]any{"url_link": r.URLLink})
	if r.code() != 0 || q.URLLinkInfo == nil || q.URLLinkInfo.Path != "" || q.URLLinkInfo.Query != "" {
		t.Errorf("jump_wxa body: %d %+v", r.code(), q.URLLinkInfo)
	}

	// The same rules as generatescheme: the target goes at the top level.
	for _, tt := range []struct {
		name string
		body any
		want int
	}{
		{"unknown page", linkBody("pages/nope/nope", "", 1), 40165},
		{"bad query", linkBody("pages/index/index", "a=中文", 1), 40212},
		{"31 days", linkBody("pages/index/index", "", 31), 85401},
		{"bad token", nil, 40001},
	} {
		tok := token
		body := tt.body
		if body == nil {
			tok, body = "86_forged", linkBody("pages/index/index", "", 1)
		}
		if _, r := call(t, s, wxapi.PathGenerateURLLink, tok, body); r.code() != tt.want || r.URLLink != "" {
			t.Errorf("%s: errcode %d url_link %q, want %d", tt.name, r.code(), r.URLLink, tt.want)
		}
	}
}

// TestSharedDailyQuota: URL Schemes and URL Links draw on one daily quota,
// which comes back at midnight Beijing time.
func TestSharedDailyQuota(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, DailyQuota: 3})
	token := s.Token()
	for i, p := range []string{wxapi.PathGenerateScheme, wxapi.PathGenerateURLLink, wxapi.PathGenerateScheme} {
		body := genBody("pages/index/index", "", 1)
		if p == wxapi.PathGenerateURLLink {
			body = linkBody("pages/index/index", "", 1)
		}
		if _, r := call(t, s, p, token, body); r.code() != 0 {
			t.Fatalf("call %d: errcode %d", i, r.code())
		}
	}
	if _, r := call(t, s, wxapi.PathGenerateURLLink, token, linkBody("pages/index/index", "", 1)); r.code() != 44993 {
		t.Errorf("URL Link after the quota: errcode %d, want 44993", r.code())
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("pages/index/index", "", 1)); r.code() != 44993 {
		t.Errorf("scheme after the quota: errcode %d, want 44993", r.code())
	}
	// Next Beijing day.
	bj := time.FixedZone("CST", 8*3600)
	n := clk.Now().In(bj)
	clk.Advance(time.Date(n.Year(), n.Month(), n.Day()+1, 0, 0, 1, 0, bj).Sub(n))
	token = getToken(t, s, false).AccessToken
	if _, r := call(t, s, wxapi.PathGenerateURLLink, token, linkBody("pages/index/index", "", 1)); r.code() != 0 {
		t.Errorf("next day: errcode %d", r.code())
	}
	if got := len(s.URLLinks()); got != 2 {
		t.Errorf("URLLinks() has %d, want 2", got)
	}
}
