package wechat_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/wechat"
)

// TestGenerateSchemeValidation: every request the doc forbids fails with
// ErrConfig and no HTTP call.
func TestGenerateSchemeValidation(t *testing.T) {
	clk := newClock()
	now := clk.Now()
	tests := []struct {
		name  string
		token string
		req   wechat.SchemeRequest
	}{
		{"no token", "", wechat.SchemeRequest{Path: "p", ExpireInterval: 1}},
		{"no expiry", "tok", wechat.SchemeRequest{Path: "p"}},
		{"both expiries", "tok", wechat.SchemeRequest{Path: "p", ExpireInterval: 1, ExpireAt: now.Add(time.Hour)}},
		{"interval 0 with negative", "tok", wechat.SchemeRequest{Path: "p", ExpireInterval: -1}},
		{"interval 31", "tok", wechat.SchemeRequest{Path: "p", ExpireInterval: 31}},
		{"expiry in 60 s", "tok", wechat.SchemeRequest{Path: "p", ExpireAt: now.Add(time.Minute)}},
		{"expiry in the past", "tok", wechat.SchemeRequest{Path: "p", ExpireAt: now.Add(-time.Hour)}},
		{"expiry in 30 days and 1 s", "tok", wechat.SchemeRequest{Path: "p", ExpireAt: now.Add(30*24*time.Hour + time.Second)}},
		{"query 1025", "tok", wechat.SchemeRequest{Path: "p", Query: strings.Repeat("a", 1025), ExpireInterval: 1}},
		{"query space", "tok", wechat.SchemeRequest{Path: "p", Query: "a=b c", ExpireInterval: 1}},
		{"query non-ASCII", "tok", wechat.SchemeRequest{Path: "p", Query: "名=x", ExpireInterval: 1}},
		{"query in path", "tok", wechat.SchemeRequest{Path: "pages/a?x=1", ExpireInterval: 1}},
		{"space in path", "tok", wechat.SchemeRequest{Path: "pages/a b", ExpireInterval: 1}},
		{"env", "tok", wechat.SchemeRequest{Path: "p", EnvVersion: "prod", ExpireInterval: 1}},
	}
	c := wechat.New("http://127.0.0.1:1", testAppID, testSecret, &http.Client{Transport: noHTTP{t}})
	c.Now = clk.Now
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.GenerateScheme(context.Background(), tt.token, tt.req)
			if !errors.Is(err, wechat.ErrConfig) {
				t.Fatalf("err = %v, want ErrConfig", err)
			}
			var we *wechat.Error
			if !errors.As(err, &we) || we.Hint == "" {
				t.Fatalf("error %v names no fix", err)
			}
		})
	}
}

func TestSchemeRequestValidateAccepts(t *testing.T) {
	now := newClock().Now()
	for _, r := range []wechat.SchemeRequest{
		{ExpireInterval: 1},
		{Path: "pages/index/index", Query: strings.Repeat("a", 1024), ExpireInterval: 30},
		{Path: "/pages/index/index", Query: "!#$&'()*+,/:;=?@-._~%", EnvVersion: "develop", ExpireInterval: 7},
		{Path: "p", ExpireAt: now.Add(time.Minute + time.Second)},
		{Path: "p", ExpireAt: now.Add(30 * 24 * time.Hour)},
	} {
		if err := r.Validate(now); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
}

func TestQuerySchemeValidation(t *testing.T) {
	c := wechat.New("http://127.0.0.1:1", testAppID, testSecret, &http.Client{Transport: noHTTP{t}})
	for _, tt := range []struct {
		token, scheme string
		qt            int
	}{
		{"", "weixin://dl/business/?t=x", 0},
		{"tok", "", wechat.QuerySchemeInfo},
		{"tok", "weixin://dl/business/?t=x", 2},
	} {
		if _, err := c.QueryScheme(context.Background(), tt.token, tt.scheme, tt.qt); !errors.Is(err, wechat.ErrConfig) {
			t.Errorf("%+v: %v, want ErrConfig", tt, err)
		}
	}
}

func TestStableTokenNeedsCredentials(t *testing.T) {
	for _, c := range []*wechat.Client{
		wechat.New("", "", testSecret, &http.Client{Transport: noHTTP{t}}),
		wechat.New("", testAppID, "", &http.Client{Transport: noHTTP{t}}),
	} {
		if _, err := c.StableToken(context.Background(), false); !errors.Is(err, wechat.ErrConfig) {
			t.Errorf("err = %v, want ErrConfig", err)
		}
	}
}
