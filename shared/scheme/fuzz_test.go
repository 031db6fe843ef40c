package scheme

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzServeHTTP feeds arbitrary query strings (outside input) to the
// handler in plaintext mode: it must answer a known status with JSON, never
// 500, and never without Cache-Control.
func FuzzServeHTTP(f *testing.F) {
	for _, q := range []string{"c=spring", "c=spring&k=ABCDEFGH", "c=&k=", "cq=%ZZ", "c=spring&cq=" + "%E6%B8%A0", "c=spring&c=over", ";;&&=="} {
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
