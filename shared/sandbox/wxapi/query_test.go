package wxapi_test

import (
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

func TestQueryScheme(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, RemainVisitQuota: 1234})
	token := s.Token()
	_, gen := call(t, s, wxapi.PathGenerateScheme, token, genBody("pages/index/index", "c=spring", 30))
	if gen.code() != 0 {
		t.Fatalf("generate: %d", gen.code())
	}
	created := clk.Now().Unix()
	expires := clk.Now().Add(30 * 24 * time.Hour).Unix()

	tests := []struct {
		name      string
		body      any
		wantCode  int
		wantPath  string
		wantQuery string
		wantTimes bool
	}{
		{"encrypted", map[string]any{"scheme": gen.OpenLink, "query_type": 0}, 0, "pages/index/index", "c=spring", true},
		{"encrypted with cq", map[string]any{"scheme": gen.OpenLink + "&cq=a%3Dhello"}, 0, "pages/index/index", "c=spring", true},
		{"unknown ticket", map[string]any{"scheme": "weixin://dl/business/?t=XTSkBZlzqmn"}, 85403, "", "", false},
		{"plaintext", map[string]any{"scheme": "weixin://dl/business/?appid=" + testAppID + "&path=pages/shop/item&query=id%3D7%26from%3Dsms&env_version=trial"}, 0, "pages/shop/item", "id=7&from=sms", false},
		{"plaintext of another appid", map[string]any{"scheme": "weixin://dl/business/?appid=wxffffffffffffffff&path=pages/a"}, 85403, "", "", false},
		{"not a scheme", map[string]any{"scheme": "https://example.com/?t=abc"}, 40097, "", "", false},
		{"no scheme", map[string]any{"query_type": 0}, 40097, "", "", false},
		{"query_type 2", map[string]any{"scheme": gen.OpenLink, "query_type": 2}, 40097, "", "", false},
		{"query_type as string", `{"scheme":"x","query_type":"1"}`, 47001, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := call(t, s, wxapi.PathQueryScheme, token, tt.body)
			if r.code() != tt.wantCode {
				t.Fatalf("errcode %d (%s), want %d", r.code(), r.ErrMsg, tt.wantCode)
			}
			if tt.wantCode != 0 {
				return
			}
			si := r.SchemeInfo
			if si == nil || si.AppID != testAppID || si.Path != tt.wantPath || si.Query != tt.wantQuery {
				t.Fatalf("scheme_info %+v", si)
			}
			if tt.wantTimes && (si.CreateTime != created || si.ExpireTime != expires) {
				t.Fatalf("times %d/%d, want %d/%d", si.CreateTime, si.ExpireTime, created, expires)
			}
			if !tt.wantTimes && (si.CreateTime != 0 || si.ExpireTime != 0) {
				t.Fatalf("plaintext times %d/%d, want 0/0 (never expires)", si.CreateTime, si.ExpireTime)
			}
		})
	}

	_, q := call(t, s, wxapi.PathQueryScheme, token, map[string]any{"query_type": 1})
	if q.code() != 0 || q.QuotaInfo == nil || q.QuotaInfo.RemainVisitQuota != 1234 {
		t.Fatalf("quota: errcode %d %+v", q.code(), q.QuotaInfo)
	}
	s.SetRemainVisitQuota(0)
	if _, q = call(t, s, wxapi.PathQueryScheme, token, map[string]any{"query_type": 1}); q.QuotaInfo.RemainVisitQuota != 0 {
		t.Fatalf("quota after SetRemainVisitQuota(0): %d", q.QuotaInfo.RemainVisitQuota)
	}
	if _, q = call(t, s, wxapi.PathQueryScheme, "", map[string]any{"query_type": 1}); q.code() != 41001 {
		t.Fatalf("no token: errcode %d", q.code())
	}
}
