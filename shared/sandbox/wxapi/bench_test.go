package wxapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// BenchmarkServeGenerate measures the sandbox's own cost per generatescheme
// call (no network), which bounds how fast tests and the emulator can go.
func BenchmarkServeGenerate(b *testing.B) {
	s, err := wxapi.NewServer(wxapi.Options{AppID: testAppID, Secret: testSecret, PerSecondLimit: 1 << 30, DailyQuota: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	target := wxapi.PathGenerateScheme + "?access_token=" + s.Token()
	const body = `{"jump_wxa":{"path":"pages/index/index","query":"c=spring&k=ab12cd","env_version":"release"},"is_expire":true,"expire_type":1,"expire_interval":30}`
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(body)))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"errcode":0`) {
			b.Fatalf("reply %d %s", rec.Code, rec.Body)
		}
	}
}
