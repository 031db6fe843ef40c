package wxapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

func TestStableTokenRejects(t *testing.T) {
	s := start(t, wxapi.Options{})
	tests := []struct {
		name string
		body any
		want int
	}{
		{"form body reads as no appid", "grant_type=client_credential&appid=" + testAppID, 41002},
		{"empty body", "", 41002},
		{"no appid", map[string]any{"grant_type": "client_credential", "secret": testSecret}, 41002},
		{"bad grant_type", map[string]any{"grant_type": "password", "appid": testAppID, "secret": testSecret}, 40002},
		{"other appid", map[string]any{"grant_type": "client_credential", "appid": "wxffffffffffffffff", "secret": testSecret}, 40013},
		{"no secret", map[string]any{"grant_type": "client_credential", "appid": testAppID}, 41004},
		{"wrong secret", map[string]any{"grant_type": "client_credential", "appid": testAppID, "secret": "nope"}, 40125},
		{"force_refresh as string", `{"grant_type":"client_credential","appid":"` + testAppID + `","secret":"` + testSecret + `","force_refresh":"true"}`, 47001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, r := call(t, s, wxapi.PathStableToken, "", tt.body)
			if status != 200 || r.code() != tt.want {
				t.Fatalf("got HTTP %d errcode %d (%s), want 200 / %d", status, r.code(), r.ErrMsg, tt.want)
			}
			if !strings.Contains(r.ErrMsg, " rid: ") {
				t.Errorf("errmsg %q lacks the rid suffix", r.ErrMsg)
			}
			if r.AccessToken != "" {
				t.Error("an error reply carried a token")
			}
		})
	}
}

func TestStableTokenReuseAndRenewal(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now})

	first := getToken(t, s, false)
	if first.ExpiresIn != 7200 {
		t.Fatalf("expires_in = %d, want 7200", first.ExpiresIn)
	}
	if len(first.AccessToken) < 100 {
		t.Errorf("token %d chars, want a realistic length", len(first.AccessToken))
	}
	clk.Advance(1000 * time.Second)
	again := getToken(t, s, false)
	if again.AccessToken != first.AccessToken || again.ExpiresIn != 6200 {
		t.Fatalf("normal call: token changed=%v expires_in=%d, want same token and 6200", again.AccessToken != first.AccessToken, again.ExpiresIn)
	}

	// Inside the last 5 minutes a normal call gets the next token; the old
	// one keeps working until it expires.
	clk.Advance(6200*time.Second - 4*time.Minute)
	next := getToken(t, s, false)
	if next.AccessToken == first.AccessToken || next.ExpiresIn != 7200 {
		t.Fatalf("renewal: same=%v expires_in=%d", next.AccessToken == first.AccessToken, next.ExpiresIn)
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, first.AccessToken, genBody("pages/a", "", 1)); r.code() != 0 {
		t.Fatalf("old token before expiry: errcode %d", r.code())
	}
	clk.Advance(4 * time.Minute)
	if _, r := call(t, s, wxapi.PathGenerateScheme, first.AccessToken, genBody("pages/a", "", 1)); r.code() != 42001 {
		t.Fatalf("old token after expiry: errcode %d, want 42001", r.code())
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, next.AccessToken, genBody("pages/a", "", 1)); r.code() != 0 {
		t.Fatalf("new token: errcode %d", r.code())
	}
}

func TestForceRefreshLimits(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now})

	old := getToken(t, s, false)
	forced := getToken(t, s, true)
	if forced.AccessToken == old.AccessToken {
		t.Fatal("force refresh returned the same token")
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, old.AccessToken, genBody("pages/a", "", 1)); r.code() != 40001 {
		t.Fatalf("token replaced by force refresh: errcode %d, want 40001", r.code())
	}
	clk.Advance(29 * time.Second)
	if _, r := call(t, s, wxapi.PathStableToken, "", tokenBody(true)); r.code() != 45011 {
		t.Fatalf("force refresh 29 s later: errcode %d, want 45011", r.code())
	}
	// 19 more, 30 s apart, make 20 today.
	for i := 0; i < 19; i++ {
		clk.Advance(30 * time.Second)
		getToken(t, s, true)
	}
	clk.Advance(30 * time.Second)
	if _, r := call(t, s, wxapi.PathStableToken, "", tokenBody(true)); r.code() != 45011 {
		t.Fatalf("21st force refresh: errcode %d, want 45011", r.code())
	}
	// A normal call is unaffected.
	getToken(t, s, false)
	// The limit resets at midnight Beijing time (16:00 UTC).
	now := clk.Now()
	clk.Advance(time.Date(now.Year(), now.Month(), now.Day(), 16, 0, 1, 0, time.UTC).Sub(now))
	getToken(t, s, true)
}

func TestForceRefreshFromElsewhere(t *testing.T) {
	s := start(t, wxapi.Options{})
	mine := getToken(t, s, false)
	theirs := s.ForceRefreshFromElsewhere()
	if theirs == mine.AccessToken {
		t.Fatal("no new token")
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, mine.AccessToken, genBody("pages/a", "", 1)); r.code() != 40001 {
		t.Fatalf("errcode %d, want 40001", r.code())
	}
	if got := getToken(t, s, false); got.AccessToken != theirs {
		t.Fatal("a normal call does not return the token set elsewhere")
	}
	if s.Token() != theirs {
		t.Fatal("Token() disagrees with stable_token")
	}
}

func TestIPWhitelist(t *testing.T) {
	s := start(t, wxapi.Options{IPWhitelist: []string{"10.0.0.1"}})
	_, r := call(t, s, wxapi.PathStableToken, "", tokenBody(false))
	if r.code() != 40164 || !strings.Contains(r.ErrMsg, "invalid ip 127.0.0.1") {
		t.Fatalf("got %d %q, want 40164 naming 127.0.0.1", r.code(), r.ErrMsg)
	}
	ok := start(t, wxapi.Options{IPWhitelist: []string{"127.0.0.1"}})
	getToken(t, ok, false)
}

func TestNewServerNeedsCredentials(t *testing.T) {
	if _, err := wxapi.NewServer(wxapi.Options{AppID: testAppID}); err == nil {
		t.Fatal("no error without a secret")
	}
	if _, err := wxapi.Start(wxapi.Options{Secret: testSecret}); err == nil {
		t.Fatal("no error without an appid")
	}
}
