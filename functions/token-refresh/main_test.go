package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/scf/host/hosttest"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/tokenrefresh"
	"github.com/smsjump/smsjump/shared/wechat"
)

// The documented timer event (PLATFORM.md, "Timer").
const timerEvent = `{"Type":"Timer","TriggerName":"EveryDay","Time":"2019-02-21T11:49:00Z","Message":"<argument>"}`

// TestBinaryThroughRuntimeHost runs the built token-refresh binary the way
// SCF does (Go1 protocol over net/rpc) against the sandbox WeChat API and a
// bolt store shared with this test process.
func TestBinaryThroughRuntimeHost(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	wx, err := wxapi.Start(wxapi.Options{AppID: "wxe2e", Secret: "e2e-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer wx.Close()
	storeURL := "bolt://" + filepath.Join(dir, "state.db")

	pool := hosttest.Start(t, ".", host.Config{
		Name: "token-refresh",
		Env: map[string]string{
			"WECHAT_APPID":    "wxe2e",
			"WECHAT_SECRET":   "e2e-secret",
			"WECHAT_API_BASE": wx.URL(),
			"STORE_URL":       storeURL,
		},
		Timeout: 30 * time.Second,
	})

	invoke := func() tokenrefresh.Result {
		t.Helper()
		out, err := pool.Invoke(ctx, []byte(timerEvent), host.InvokeOptions{})
		if err != nil {
			t.Fatalf("invoke: %v", err)
		}
		var r tokenrefresh.Result
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("result %s: %v", out, err)
		}
		return r
	}

	first := invoke()
	if !first.Refreshed || first.TokenExpiresInS < 7000 {
		t.Fatalf("first run: %+v", first)
	}
	if got := wx.Calls(wxapi.PathStableToken); got != 1 {
		t.Fatalf("stable_token calls after first run = %d, want 1", got)
	}

	// The token is in the bolt store, readable by another process.
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raw, err := st.Get(ctx, "wechat/token/wxe2e")
	if err != nil {
		t.Fatalf("token not in store: %v", err)
	}
	var stored token.Token
	if err := json.Unmarshal(raw, &stored); err != nil || stored.AccessToken != wx.Token() {
		t.Fatalf("stored token %+v (err %v) is not the sandbox's current token", stored, err)
	}

	// A second invocation within the validity makes zero WeChat calls.
	wx.ResetCalls()
	if second := invoke(); second.Refreshed {
		t.Fatalf("second run refreshed: %+v", second)
	}
	if got := wx.Calls(wxapi.PathStableToken); got != 0 {
		t.Fatalf("stable_token calls on second run = %d, want 0", got)
	}

	// Someone force-refreshes the token elsewhere: the next use (here a
	// generatescheme through a token source on the same store, as get-scheme
	// does) recovers with exactly one non-force call.
	wx.ForceRefreshFromElsewhere()
	wx.ResetCalls()
	wc := wechat.New(wx.URL(), "wxe2e", "e2e-secret", nil)
	src := token.New(wc, st, token.Options{AppID: "wxe2e", Logger: slog.New(slog.DiscardHandler)})
	err = src.Do(ctx, func(tok string) error {
		_, err := wc.GenerateScheme(ctx, tok, wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 30})
		return err
	})
	if err != nil {
		t.Fatalf("generate after force refresh elsewhere: %v", err)
	}
	if got := wx.Calls(wxapi.PathStableToken); got != 1 {
		t.Fatalf("stable_token calls to recover = %d, want 1", got)
	}
	// And the timer function now sees the new token without calling WeChat.
	wx.ResetCalls()
	invoke()
	if got := wx.Calls(wxapi.PathStableToken); got != 0 {
		t.Fatalf("timer after recovery made %d calls, want 0", got)
	}
}

// TestBadConfigFailsEveryInvocation: a function with a broken environment
// answers each invocation with an error naming the variables to set.
func TestBadConfigFailsEveryInvocation(t *testing.T) {
	pool := hosttest.Start(t, ".", host.Config{Name: "token-refresh", Env: map[string]string{"TOKEN_REFRESH_MARGIN": "soon"}})
	_, err := pool.Invoke(context.Background(), []byte(timerEvent), host.InvokeOptions{})
	var fe *host.FunctionError
	if !errors.As(err, &fe) {
		t.Fatalf("want a function error, got %v", err)
	}
	for _, want := range []string{"WECHAT_APPID", "WECHAT_SECRET", "STORE_URL", "TOKEN_REFRESH_MARGIN"} {
		if !strings.Contains(fe.Message, want) {
			t.Errorf("error does not name %s: %s", want, fe.Message)
		}
	}
}

// TestOverlappingTimerRuns: two timer runs at once on an empty store (two
// instances, as when a run is slow and the next tick fires) both succeed and
// agree on one token, without force_refresh.
func TestOverlappingTimerRuns(t *testing.T) {
	wx, err := wxapi.Start(wxapi.Options{AppID: "wxe2e", Secret: "e2e-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer wx.Close()
	wx.SetLatency(wxapi.PathStableToken, 200*time.Millisecond) // let the runs overlap
	storeURL := "bolt://" + filepath.Join(t.TempDir(), "state.db")
	pool := hosttest.Start(t, ".", host.Config{
		Name: "token-refresh",
		Env: map[string]string{
			"WECHAT_APPID": "wxe2e", "WECHAT_SECRET": "e2e-secret", "WECHAT_API_BASE": wx.URL(), "STORE_URL": storeURL,
		},
		MaxInstances: 2,
	})
	ctx := context.Background()
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := pool.Invoke(ctx, []byte(timerEvent), host.InvokeOptions{})
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("overlapping run failed: %v", err)
		}
	}
	if got := pool.Stats().Started; got != 2 {
		t.Fatalf("%d instances started, want 2 (the runs did not overlap)", got)
	}
	if got := wx.Calls(wxapi.PathStableToken); got < 1 || got > 2 {
		t.Fatalf("stable_token calls = %d, want 1 or 2 non-force calls", got)
	}
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raw, err := st.Get(ctx, "wechat/token/wxe2e")
	var stored token.Token
	if err != nil || json.Unmarshal(raw, &stored) != nil || stored.AccessToken != wx.Token() {
		t.Fatalf("stored token is not WeChat's current one (err %v)", err)
	}
}
