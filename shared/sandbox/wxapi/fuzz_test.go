package wxapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// FuzzGenerateBody feeds arbitrary bodies to generatescheme: the reply must
// always be WeChat-shaped JSON, and a success must carry an openlink.
func FuzzGenerateBody(f *testing.F) {
	files, _ := filepath.Glob("testdata/generate/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`{"jump_wxa":null,"expire_type":null}`))
	fuzzGenerator(f, wxapi.PathGenerateScheme, "openlink", "weixin://dl/business/?t=")
}

// fuzzGenerator serves each fuzzed body to path (generatescheme or
// generate_urllink) and checks the reply: JSON with errcode and errmsg, whose
// link field (key) starts with prefix exactly when errcode is 0.
func fuzzGenerator(f *testing.F, path, key, prefix string) {
	s, err := wxapi.NewServer(wxapi.Options{AppID: testAppID, Secret: testSecret, PerSecondLimit: 1 << 30, DailyQuota: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	token := s.Token()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path+"?access_token="+token, strings.NewReader(string(body))))
		var r struct {
			ErrCode  *int   `json:"errcode"`
			ErrMsg   string `json:"errmsg"`
			OpenLink string `json:"openlink"`
			URLLink  string `json:"url_link"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
			t.Fatalf("reply %q: %v", rec.Body, err)
		}
		if r.ErrCode == nil || r.ErrMsg == "" {
			t.Fatalf("reply without errcode/errmsg: %s", rec.Body)
		}
		link := map[string]string{"openlink": r.OpenLink, "url_link": r.URLLink}[key]
		if (*r.ErrCode == 0) != strings.HasPrefix(link, prefix) {
			t.Fatalf("errcode %d with %s %q", *r.ErrCode, key, link)
		}
	})
}

// FuzzURLLinkBody feeds arbitrary bodies to generate_urllink: the reply is
// always WeChat-shaped JSON, and a success carries a wxaurl.cn link.
func FuzzURLLinkBody(f *testing.F) {
	for _, b := range []string{
		`{"path":"pages/index/index","query":"a=1&b=2","expire_type":1,"expire_interval":30}`,
		`{"path":"","expire_type":0,"expire_time":1}`, `{"jump_wxa":{"path":"x"}}`, `null`, `{"query":123}`, `{"cloud_base":{"env":"e"}}`,
	} {
		f.Add([]byte(b))
	}
	fuzzGenerator(f, wxapi.PathGenerateURLLink, "url_link", "https://wxaurl.cn/")
}
