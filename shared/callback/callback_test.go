package callback_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/callback"
)

const tok = "0123456789abcdefABCDEF_-xyz"

func TestRoutes(t *testing.T) {
	rs, err := callback.New(tok)
	if err != nil {
		t.Fatal(err)
	}
	rs.Handle("sms-status", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(299) }))
	if got := rs.Path("sms-status"); got != "/cb/"+tok+"/sms-status" {
		t.Fatalf("Path = %q", got)
	}
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/cb/" + tok + "/sms-status", 299},
		{"/cb/" + tok + "x/sms-status", 404},
		{"/cb/" + tok[:len(tok)-1] + "/sms-status", 404},
		{"/cb/" + tok + "/sms-reply", 404},
		{"/cb/" + tok, 404},
		{"/cb//sms-status", 404},
	} {
		w := httptest.NewRecorder()
		rs.ServeHTTP(w, httptest.NewRequest("POST", tc.path, nil))
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.path, w.Code, tc.want)
		}
		if tc.want == 404 && !strings.Contains(w.Body.String(), `"error":"not_found"`) {
			t.Errorf("%s: body %s", tc.path, w.Body)
		}
	}
}

func TestDisabledAndBadTokens(t *testing.T) {
	rs, err := callback.New("")
	if err != nil {
		t.Fatal(err)
	}
	rs.Handle("sms-status", http.NotFoundHandler())
	w := httptest.NewRecorder()
	rs.ServeHTTP(w, httptest.NewRequest("POST", "/cb//sms-status", nil))
	if w.Code != 404 {
		t.Fatalf("no token: %d, want 404", w.Code)
	}
	for _, bad := range []string{"short", strings.Repeat("a", 23), strings.Repeat("a", 30) + "/", strings.Repeat("中", 10)} {
		if _, err := callback.New(bad); !errors.Is(err, callback.ErrBadToken) {
			t.Errorf("New(%q) = %v, want ErrBadToken", bad, err)
		}
	}
}
