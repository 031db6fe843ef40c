package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/wechat"
)

// serve answers every request with the fixture file and status.
func serve(t *testing.T, file string, status int) *wechat.Client {
	t.Helper()
	body, err := os.ReadFile("testdata/replies/" + file)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; encoding=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c := wechat.New(srv.URL, testAppID, testSecret, nil)
	c.Now = newClock().Now
	return c
}

func TestHandMadeReplies(t *testing.T) {
	gen := wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 1}
	ops := map[string]func(*wechat.Client) error{
		"token": func(c *wechat.Client) error { _, err := c.StableToken(context.Background(), false); return err },
		"generate": func(c *wechat.Client) error {
			_, err := c.GenerateScheme(context.Background(), "tok", gen)
			return err
		},
		"query": func(c *wechat.Client) error {
			_, err := c.QueryScheme(context.Background(), "tok", "weixin://dl/business/?t=XTSkBZlzqmn", 0)
			return err
		},
		"quota": func(c *wechat.Client) error {
			_, err := c.QueryScheme(context.Background(), "tok", "", wechat.QueryVisitQuota)
			return err
		},
	}
	tests := []struct {
		file   string
		status int
		op     string
		want   error // nil: success
		code   int
	}{
		{"token_ok.json", 200, "token", nil, 0},
		{"token_40164.json", 200, "token", wechat.ErrConfig, 40164},
		{"token_40125.json", 200, "token", wechat.ErrConfig, 40125},
		{"token_41002.json", 200, "token", wechat.ErrConfig, 41002},
		{"token_45011.json", 200, "token", wechat.ErrRateLimited, 45011},
		{"token_empty.json", 200, "token", wechat.ErrTransient, 0},
		{"generate_ok.json", 200, "generate", nil, 0},
		{"generate_40001.json", 200, "generate", wechat.ErrTokenInvalid, 40001},
		{"generate_42001.json", 200, "generate", wechat.ErrTokenInvalid, 42001},
		{"generate_44990.json", 200, "generate", wechat.ErrRateLimited, 44990},
		{"generate_44993.json", 200, "generate", wechat.ErrQuotaExhausted, 44993},
		{"generate_45009.json", 200, "generate", wechat.ErrQuotaExhausted, 45009},
		{"generate_85400.json", 200, "generate", wechat.ErrQuotaExhausted, 85400},
		{"generate_-1.json", 200, "generate", wechat.ErrTransient, -1},
		{"generate_40165.json", 200, "generate", wechat.ErrConfig, 40165},
		{"generate_85401.json", 200, "generate", wechat.ErrConfig, 85401},
		{"generate_no_link.json", 200, "generate", wechat.ErrTransient, 0},
		{"generate_ok.json", 500, "generate", wechat.ErrTransient, 0},
		{"query_info.json", 200, "query", nil, 0},
		{"query_quota.json", 200, "query", wechat.ErrTransient, 0}, // type 0 asked, no scheme_info
		{"query_quota.json", 200, "quota", nil, 0},
		{"query_info.json", 200, "quota", wechat.ErrTransient, 0}, // type 1 asked, no quota_info
		{"query_85403.json", 200, "query", wechat.ErrSchemeNotFound, 85403},
		{"any_errcode_string.json", 200, "generate", wechat.ErrTransient, 0},
		{"any_html.html", 200, "token", wechat.ErrTransient, 0},
		{"any_html.html", 502, "token", wechat.ErrTransient, 0},
		{"any_html.html", 503, "generate", wechat.ErrTransient, 0},
		{"any_html.html", 429, "generate", wechat.ErrRateLimited, 0},
		{"any_html.html", 404, "generate", wechat.ErrConfig, 0}, // wrong WECHAT_API_BASE
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.op, func(t *testing.T) {
			err := ops[tt.op](serve(t, tt.file, tt.status))
			if tt.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var we *wechat.Error
			if !errors.As(err, &we) || we.Code != tt.code {
				t.Fatalf("code %d, want %d", we.Code, tt.code)
			}
		})
	}
}

func TestHandMadeReplyValues(t *testing.T) {
	c := serve(t, "token_ok_partial.json", 200)
	tok, err := c.StableToken(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.Now().Add(6871 * time.Second); tok.AccessToken != "ACCESS_TOKEN" || !tok.ExpiresAt.Equal(want) {
		t.Fatalf("token %q expires %s, want %s", tok.AccessToken, tok.ExpiresAt, want)
	}

	info, err := serve(t, "query_info.json", 200).QueryScheme(context.Background(), "tok", "weixin://dl/business/?t=XTSkBZlzqmn&cq=a%3Dhello", 0)
	if err != nil {
		t.Fatal(err)
	}
	if info.AppID != "appid" || info.Query != "a=hello" || info.EnvVersion != "release" ||
		!info.CreatedAt.Equal(time.Unix(611928113, 0)) || !info.ExpiresAt.IsZero() || info.RemainVisitQuota != -1 {
		t.Fatalf("info %+v", info)
	}
	q, err := serve(t, "query_quota.json", 200).QueryScheme(context.Background(), "tok", "", wechat.QueryVisitQuota)
	if err != nil || q.RemainVisitQuota != 2999000 {
		t.Fatalf("quota %+v %v", q, err)
	}
}
