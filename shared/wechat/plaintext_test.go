package wechat_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/wechat"
)

func TestPlaintextScheme(t *testing.T) {
	tests := []struct {
		name                    string
		appID, path, query, env string
		want                    string
	}{
		{
			"documented example", "wx4e1ba651bbe36d01", "mall/order/list", "index=2", "",
			"weixin://dl/business/?appid=wx4e1ba651bbe36d01&path=mall/order/list&query=index%3D2&env_version=release",
		},
		{
			"leading slash dropped, query is one encoded value", "wxA", "/pages/index/index", "c=spring&k=ab12", "trial",
			"weixin://dl/business/?appid=wxA&path=pages/index/index&query=c%3Dspring%26k%3Dab12&env_version=trial",
		},
		{
			"empty query omitted", "wxA", "pages/index/index", "", "develop",
			"weixin://dl/business/?appid=wxA&path=pages/index/index&env_version=develop",
		},
		{
			// encodeURIComponent keeps ! ~ * ' ( ) and escapes the rest.
			"JavaScript encodeURIComponent set", "wxA", "p", "a=(1)!*~'&b=/:;@?#$,+%", "",
			"weixin://dl/business/?appid=wxA&path=p&query=a%3D(1)!*~'%26b%3D%2F%3A%3B%40%3F%23%24%2C%2B%25&env_version=release",
		},
		{
			"JSON value as in the community example", "APPID", "PATH", `{"id":1,"num":1}`, "",
			"weixin://dl/business/?appid=APPID&path=PATH&query=%7B%22id%22%3A1%2C%22num%22%3A1%7D&env_version=release",
		},
		{
			"UTF-8 and space", "wxA", "p", "名=张 三", "",
			"weixin://dl/business/?appid=wxA&path=p&query=%E5%90%8D%3D%E5%BC%A0%20%E4%B8%89&env_version=release",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wechat.PlaintextScheme(tt.appID, tt.path, tt.query, tt.env)
			if got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
			// Whatever the query holds, it must decode back to itself.
			v, err := url.ParseQuery(strings.TrimPrefix(got, "weixin://dl/business/?"))
			if err != nil {
				t.Fatal(err)
			}
			if v.Get("query") != tt.query {
				t.Fatalf("query decodes to %q, want %q", v.Get("query"), tt.query)
			}
		})
	}
}

func TestValidatePlaintextQuery(t *testing.T) {
	tests := []struct {
		query string
		ok    bool
	}{
		{"", true},
		{"c=spring&k=ab12cd", true},
		{strings.Repeat("a", 512), true},
		{strings.Repeat("a", 513), false},
		// 200 '&' encode to 600 characters; the limit is on the raw query.
		{strings.Repeat("&", 200), true},
		{"!#$&'()*+,/:;=?@-._~%", true},
		{"a=b c", false},
		{"名=x", false},
		{"a=<b>", false},
	}
	for _, tt := range tests {
		err := wechat.ValidatePlaintextQuery(tt.query)
		if (err == nil) != tt.ok {
			t.Errorf("ValidatePlaintextQuery(%.20q…) = %v, want ok=%v", tt.query, err, tt.ok)
		}
		if err != nil && !errors.Is(err, wechat.ErrConfig) {
			t.Errorf("%q: error %v is not ErrConfig", tt.query, err)
		}
	}
}

func TestValidatePlaintextTarget(t *testing.T) {
	tests := []struct {
		name                    string
		appID, path, query, env string
		ok                      bool
	}{
		{"ok", "wxA", "pages/index/index", "a=1", "release", true},
		{"no appid", "", "pages/index/index", "", "", false},
		{"no path", "wxA", "/", "", "", false},
		{"query in path", "wxA", "pages/index/index?a=1", "", "", false},
		{"bad env", "wxA", "pages/index/index", "", "prod", false},
		{"bad query", "wxA", "pages/index/index", "a b", "", false},
	}
	for _, tt := range tests {
		err := wechat.ValidatePlaintextTarget(tt.appID, tt.path, tt.query, tt.env)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, wechat.ErrConfig)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func BenchmarkPlaintextScheme(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = wechat.PlaintextScheme("wx0123456789abcdef", "/pages/index/index", "c=spring&k=ab12cd&from=sms", "")
	}
}
