package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

const leakyToken = "86_SECRETTOKEN+/value=="

func assertClean(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{leakyToken, url.QueryEscape(leakyToken), testSecret} {
		if strings.Contains(s, secret) {
			t.Fatalf("%s leaks %q: %s", what, secret, s)
		}
	}
}

func TestNetworkErrorHidesToken(t *testing.T) {
	// A port nobody listens on: the *url.Error would carry the full URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := wechat.New("http://"+addr, testAppID, testSecret, nil)
	_, err = c.GenerateScheme(context.Background(), leakyToken, wechat.SchemeRequest{ExpireInterval: 1})
	if !errors.Is(err, wechat.ErrTransient) {
		t.Fatalf("err = %v, want ErrTransient", err)
	}
	assertClean(t, "error", err.Error())
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.URL, "?") {
		t.Fatalf("*url.Error not reachable or still has its query: %#v", ue)
	}
	assertClean(t, "wrapped *url.Error", ue.Error())
}

// echoTransport fails with the whole request in its message, like a careless
// proxy or middleware might.
type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(r.Body)
	return nil, fmt.Errorf("cannot send %s with %s: %w", r.URL.RawQuery, body, context.DeadlineExceeded)
}

func TestTransportErrorHidesSecrets(t *testing.T) {
	c := wechat.New("http://127.0.0.1:1", testAppID, testSecret, &http.Client{Transport: echoTransport{}})
	_, err := c.StableToken(context.Background(), false)
	assertClean(t, "stable_token error", err.Error())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("redaction lost the deadline: %v", err)
	}
	_, err = c.GenerateScheme(context.Background(), leakyToken, wechat.SchemeRequest{ExpireInterval: 1})
	assertClean(t, "generatescheme error", err.Error())
	var ue *url.Error
	if errors.As(err, &ue) {
		assertClean(t, "wrapped *url.Error", ue.Error())
	}
}

func TestReplyEchoingSecretsIsRedacted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, `{"errcode":40001,"errmsg":"bad token %s in %s"}`, r.URL.Query().Get("access_token"), strings.ReplaceAll(strings.TrimSpace(string(body)), `"`, `'`))
	}))
	defer srv.Close()
	c := wechat.New(srv.URL, testAppID, testSecret, nil)
	_, err := c.GenerateScheme(context.Background(), leakyToken, wechat.SchemeRequest{ExpireInterval: 1})
	if !errors.Is(err, wechat.ErrTokenInvalid) {
		t.Fatalf("err = %v", err)
	}
	assertClean(t, "error", err.Error())
	_, err = c.StableToken(context.Background(), false)
	assertClean(t, "error", err.Error())
}

func TestLogsAndTokenPrintingHideSecrets(t *testing.T) {
	clk := newClock()
	s, c := sandbox(t, clk, wxapi.Options{})
	var buf bytes.Buffer
	c.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	tok, err := c.StableToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GenerateScheme(ctx, tok.AccessToken, wechat.SchemeRequest{ExpireInterval: 1}); err != nil {
		t.Fatal(err)
	}
	s.Inject(wxapi.PathGenerateScheme, 40001, 1)
	_, _ = c.GenerateScheme(ctx, tok.AccessToken, wechat.SchemeRequest{ExpireInterval: 1})
	c.Logger.Info("token", "tok", tok)
	printed := fmt.Sprintf("%v %+v %s", tok, tok, tok)

	out := buf.String()
	if strings.Count(out, `"msg":"wechat call"`) != 3 {
		t.Fatalf("want one debug line per call, got:\n%s", out)
	}
	for what, s := range map[string]string{"log": out, "fmt": printed} {
		if strings.Contains(s, tok.AccessToken) || strings.Contains(s, testSecret) {
			t.Fatalf("%s output leaks a secret:\n%s", what, s)
		}
	}
}
