package wechat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/wechat"
)

var kinds = []error{
	wechat.ErrTokenInvalid, wechat.ErrRateLimited, wechat.ErrQuotaExhausted, wechat.ErrOpensExhausted,
	wechat.ErrConfig, wechat.ErrSchemeNotFound, wechat.ErrTransient,
}

func TestKindsOfErrcodes(t *testing.T) {
	tests := []struct {
		code int
		want error
	}{
		{-1, wechat.ErrTransient},
		{40001, wechat.ErrTokenInvalid},
		{42001, wechat.ErrTokenInvalid},
		{40014, wechat.ErrTokenInvalid},
		{41001, wechat.ErrTokenInvalid},
		{44990, wechat.ErrRateLimited},
		{45011, wechat.ErrRateLimited},
		{44993, wechat.ErrQuotaExhausted},
		{45009, wechat.ErrQuotaExhausted},
		{85400, wechat.ErrQuotaExhausted},
		{85406, wechat.ErrOpensExhausted},
		{85403, wechat.ErrSchemeNotFound},
		{40002, wechat.ErrConfig},
		{40013, wechat.ErrConfig},
		{40125, wechat.ErrConfig},
		{40164, wechat.ErrConfig},
		{40165, wechat.ErrConfig},
		{40212, wechat.ErrConfig},
		{43002, wechat.ErrConfig},
		{47001, wechat.ErrConfig},
		{85079, wechat.ErrConfig},
		{85401, wechat.ErrConfig},
		{85402, wechat.ErrConfig},
		{89503, wechat.ErrConfig},
		{89506, wechat.ErrConfig},
		{89507, wechat.ErrConfig},
		{12345, wechat.ErrTransient}, // unknown codes: back off and report
	}
	for _, tt := range tests {
		err := wechat.ErrorFor("generatescheme", tt.code, "msg")
		for _, k := range kinds {
			want := k == tt.want || (tt.want == wechat.ErrOpensExhausted && k == wechat.ErrQuotaExhausted)
			if got := errors.Is(err, k); got != want {
				t.Errorf("errcode %d: errors.Is(%v) = %v, want %v", tt.code, k, got, want)
			}
		}
		var we *wechat.Error
		if !errors.As(err, &we) || we.Code != tt.code {
			t.Errorf("errcode %d: errors.As gave %+v", tt.code, we)
		}
	}
}

func TestOpensExhaustedIsQuota(t *testing.T) {
	if !errors.Is(wechat.ErrOpensExhausted, wechat.ErrQuotaExhausted) {
		t.Fatal("ErrOpensExhausted is not an ErrQuotaExhausted")
	}
	if errors.Is(wechat.ErrQuotaExhausted, wechat.ErrOpensExhausted) {
		t.Fatal("the broader kind matches the narrower one")
	}
}

func TestErrorNamesTheFix(t *testing.T) {
	tests := []struct {
		op   string
		code int
		want string
	}{
		{"stable_token", 40164, "add the SCF egress IP to the mini-program's API IP whitelist"},
		{"stable_token", 40125, "WECHAT_SECRET"},
		{"stable_token", 40013, "WECHAT_APPID"},
		{"generatescheme", 40013, "banned"},
		{"generatescheme", 40002, "non-individual"},
		{"generatescheme", 85079, "publish the mini-program"},
		{"generatescheme", 85402, "WECHAT_ENV_VERSION"},
		{"generatescheme", 85401, "SCHEME_TTL_DAYS"},
		{"generatescheme", 44993, "SCHEME_FALLBACK_PLAINTEXT"},
		{"stable_token", 45011, "force_refresh"},
	}
	for _, tt := range tests {
		err := wechat.ErrorFor(tt.op, tt.code, "whatever rid: 1-2-3")
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %d: %q does not name the fix %q", tt.op, tt.code, err, tt.want)
		}
		if !strings.HasPrefix(err.Error(), "wechat "+tt.op+": errcode ") {
			t.Errorf("%s %d: %q", tt.op, tt.code, err)
		}
	}
}
