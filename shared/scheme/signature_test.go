package scheme

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/jssdk"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

const (
	oaAppID  = "wxfedcba9876543210"
	oaSecret = "fedcba9876543210fedcba9876543210"
)

func TestJSAPISignatureDocumentExample(t *testing.T) {
	// The JS-SDK documentation's example (附录1).
	got := wechat.JSAPISignature("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
		"Wm3WZYTPz0wzccnW", time.Unix(1414587457, 0), "http://mp.weixin.qq.com?params=value")
	if got != "0f9de62fce790f9a083d5c99e95740ceb90c27ed" {
		t.Fatalf("signature %s", got)
	}
}

// TestSignatureEndpoint: …/jssdk signs the page URL without its fragment
// with the service account's jsapi_ticket, which is fetched once and shared
// through the store; other origins are refused.
func TestSignatureEndpoint(t *testing.T) {
	oa, err := wxapi.Start(wxapi.Options{AppID: oaAppID, Secret: oaSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = oa.Close() })
	st := newMemStore(t)
	signer := func() *jssdk.Signer {
		c := wechat.New(oa.URL(), oaAppID, oaSecret, nil)
		c.Logger = quiet()
		return jssdk.New(c, st, 0, nil, quiet())
	}
	a := newEnv(t, nil, st, nil, func(o *Options) { o.Signer = signer() })
	b := newEnv(t, a.wx, st, nil, func(o *Options) { o.Signer = signer() })

	page := testOrigin + "/?c=spring&k=AB3DE9"
	for i, e := range []*env{a, a, b} {
		r := httptest.NewRequest(http.MethodGet, "/jssdk?url="+url.QueryEscape(page+"#wechat_redirect"), nil)
		r.Header.Set("Origin", testOrigin)
		w := httptest.NewRecorder()
		e.svc.ServeHTTP(w, r)
		if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != testOrigin || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("call %d: %d %s", i, w.Code, w.Body)
		}
		var sig jssdk.Signature
		if err := json.Unmarshal(w.Body.Bytes(), &sig); err != nil {
			t.Fatal(err)
		}
		want := wechat.JSAPISignature(oa.Ticket(), sig.NonceStr, time.Unix(sig.Timestamp, 0), page)
		if sig.AppID != oaAppID || sig.NonceStr == "" || sig.Signature != want {
			t.Fatalf("call %d: %+v, want signature %s", i, sig, want)
		}
	}
	if n := oa.Calls(wxapi.PathGetTicket); n != 1 {
		t.Errorf("%d getticket calls for 3 signatures on 2 instances, want 1", n)
	}
	if n := a.wx.Calls(wxapi.PathGetTicket); n != 0 {
		t.Errorf("asked the mini-program's account for a ticket")
	}

	for _, tc := range []struct {
		name, url string
		status    int
		kind      string
	}{
		{"other site", "https://evil.example.com/?c=spring", 403, "forbidden_origin"},
		{"not a URL", "javascript:alert(1)", 400, "bad_request"},
		{"missing", "", 400, "bad_request"},
	} {
		r := a.get(t, "/jssdk?url="+url.QueryEscape(tc.url), nil)
		if r.Status != tc.status || r.Err.Error != tc.kind {
			t.Errorf("%s: %d %+v", tc.name, r.Status, r.Err)
		}
	}
	off := newEnv(t, nil, nil, nil)
	if r := off.get(t, "/jssdk?url="+url.QueryEscape(page), nil); r.Status != 404 || r.Err.Error != "not_configured" {
		t.Errorf("without a service account: %d %+v", r.Status, r.Err)
	}
	// The scheme answer is untouched by the new route.
	if r := a.get(t, "/?c=spring", nil); r.Status != 200 {
		t.Errorf("scheme: %d", r.Status)
	}
}
