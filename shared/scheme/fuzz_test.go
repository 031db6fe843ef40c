package scheme

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/jssdk"
)

// FuzzServeHTTP feeds arbitrary query strings (outside input) to the
// handler in plaintext mode: it must answer a known status with JSON, never
// 500, and never without Cache-Control.
func FuzzServeHTTP(f *testing.F) {
	for _, q := range []string{"c=spring", "c=spring&k=ABCDEFGH", "c=&k=", "cq=%ZZ", "c=spring&cq=" + "%E6%B8%A0", "c=spring&c=over", ";;&&==", "c=spring&link=urllink&cq=a", "c=over&link=urllink"} {
		f.Add(q)
	}
	e := newEnv(f, nil, nil, nil, func(o *Options) { o.Mode = ModePlaintext })
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.RawQuery = q
		w := httptest.NewRecorder()
		e.svc.ServeHTTP(w, r)
		switch w.Code {
		case 200, 400, 404, 410, 429:
		default:
			t.Fatalf("query %q: status %d %s", q, w.Code, w.Body)
		}
		if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Fatalf("query %q: headers %v", q, w.Header())
		}
	})
}

// FuzzSignatureURL feeds arbitrary page URLs to …/jssdk (no signer
// configured past the URL checks matters here: the answer must be JSON with
// a known status, whatever the input).
func FuzzSignatureURL(f *testing.F) {
	for _, u := range []string{testOrigin + "/?c=a#x", "javascript:alert(1)", "", "https://evil.example.com/", "%zz", "http://[::1"} {
		f.Add(u)
	}
	e := newEnv(f, nil, nil, nil, func(o *Options) { o.Signer = fakeSigner{} })
	f.Fuzz(func(t *testing.T, u string) {
		r := httptest.NewRequest(http.MethodGet, "/jssdk", nil)
		r.URL.RawQuery = "url=" + url.QueryEscape(u)
		w := httptest.NewRecorder()
		e.svc.ServeHTTP(w, r)
		switch w.Code {
		case 200, 400, 403, 429:
		default:
			t.Fatalf("url %q: status %d %s", u, w.Code, w.Body)
		}
		if w.Code == 200 {
			page, _, _ := strings.Cut(u, "#")
			p, err := url.Parse(page)
			if err != nil || p.Scheme+"://"+p.Host != testOrigin {
				t.Fatalf("signed a page of another origin: %q", u)
			}
		}
	})
}

type fakeSigner struct{}

func (fakeSigner) Sign(_ context.Context, page string) (jssdk.Signature, error) {
	return jssdk.Signature{AppID: "wxfedcba9876543210", Timestamp: 1, NonceStr: "n", Signature: page}, nil
}
