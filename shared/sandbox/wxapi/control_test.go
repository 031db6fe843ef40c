package wxapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

func TestInject(t *testing.T) {
	s := start(t, wxapi.Options{})
	token := s.Token()
	s.Inject(wxapi.PathGenerateScheme, 45009, 2)
	s.Inject(wxapi.PathGenerateScheme, -1, 1)
	for i, want := range []int{45009, 45009, -1, 0} {
		_, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1))
		if r.code() != want {
			t.Fatalf("call %d: errcode %d, want %d", i, r.code(), want)
		}
		if want != 0 && !strings.HasPrefix(r.ErrMsg, wxapi.Errmsg(wxapi.PathGenerateScheme, want)+" rid: ") {
			t.Fatalf("call %d: errmsg %q", i, r.ErrMsg)
		}
	}
	// Injections are per path.
	s.Inject(wxapi.PathStableToken, 40164, 1)
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 0 {
		t.Fatalf("generate affected by a stable_token injection: %d", r.code())
	}
	if _, r := call(t, s, wxapi.PathStableToken, "", tokenBody(false)); r.code() != 40164 {
		t.Fatalf("stable_token: %d", r.code())
	}
	// An injected errcode comes before token checks: it models WeChat failing.
	s.Inject(wxapi.PathQueryScheme, 85406, 1)
	if _, r := call(t, s, wxapi.PathQueryScheme, "", map[string]any{"query_type": 1}); r.code() != 85406 {
		t.Fatalf("queryscheme: %d", r.code())
	}
}

func TestInjectHTTP(t *testing.T) {
	s := start(t, wxapi.Options{})
	s.InjectHTTP(wxapi.PathStableToken, http.StatusBadGateway, 1)
	resp, err := http.Post(s.URL()+wxapi.PathStableToken, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || strings.HasPrefix(string(body), "{") {
		t.Fatalf("HTTP %d %q, want a bare 502", resp.StatusCode, body)
	}
	getToken(t, s, false)
}

func TestCallsAndUnknownPath(t *testing.T) {
	s := start(t, wxapi.Options{})
	getToken(t, s, false)
	call(t, s, wxapi.PathStableToken, "", "garbage")
	status, r := call(t, s, "/cgi-bin/token", "", "{}")
	if status != http.StatusNotFound || r.code() != 40066 {
		t.Fatalf("unknown path: HTTP %d errcode %d", status, r.code())
	}
	if got := s.Calls(wxapi.PathStableToken); got != 2 {
		t.Fatalf("Calls(stable_token) = %d, want 2", got)
	}
	if got := s.Calls("/cgi-bin/token"); got != 1 {
		t.Fatalf("Calls(/cgi-bin/token) = %d, want 1", got)
	}
	s.ResetCalls()
	if got := s.Calls(wxapi.PathStableToken); got != 0 {
		t.Fatalf("after ResetCalls: %d", got)
	}
}

func TestRequiresPOST(t *testing.T) {
	s := start(t, wxapi.Options{})
	resp, err := http.Get(s.URL() + wxapi.PathStableToken)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"errcode":43002`) {
		t.Fatalf("GET: %s", body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestSetLatency(t *testing.T) {
	s := start(t, wxapi.Options{})
	s.SetLatency(wxapi.PathStableToken, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+wxapi.PathStableToken, strings.NewReader("{}"))
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline to hit first", err)
	}
	s.SetLatency(wxapi.PathStableToken, 0)
	getToken(t, s, false)
}

// TestHandlerWithoutListener serves the sandbox through httptest, the other
// way to use it.
func TestHandlerWithoutListener(t *testing.T) {
	s, err := wxapi.NewServer(wxapi.Options{AppID: testAppID, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Fatalf("URL() = %q before Start", s.URL())
	}
	rec := httptest.NewRecorder()
	body := `{"grant_type":"client_credential","appid":"` + testAppID + `","secret":"` + testSecret + `"}`
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, wxapi.PathStableToken, strings.NewReader(body)))
	if !strings.Contains(rec.Body.String(), `"expires_in":7200`) {
		t.Fatalf("reply %s", rec.Body)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
