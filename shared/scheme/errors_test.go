package scheme

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// TestErrorKinds: every rejection has its kind and status, and none of them
// costs a WeChat call (forged codes and unknown campaigns included).
func TestErrorKinds(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	ctx := context.Background()
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "autumn", Target: link.Target{Path: "pages/a/a"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "closed", Target: link.Target{Path: "pages/a/a"}, Status: link.StatusEnded}); err != nil {
		t.Fatal(err)
	}
	otherCode, err := e.links.NewCode(ctx, link.Code{Campaign: "autumn"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, target string
		status       int
		kind         string
	}{
		{"no campaign", "/", http.StatusBadRequest, "bad_request"},
		{"empty campaign", "/?c=", http.StatusBadRequest, "bad_request"},
		{"malformed campaign", "/?c=Spring!", http.StatusNotFound, "not_found"},
		{"unknown campaign", "/?c=winter", http.StatusNotFound, "not_found"},
		{"malformed code", "/?c=spring&k=abc", http.StatusNotFound, "invalid_link"},
		{"look-alike in code", "/?c=spring&k=ABCDEF0O", http.StatusNotFound, "invalid_link"},
		{"forged code", "/?c=spring&k=ABCDEFGH", http.StatusNotFound, "invalid_link"},
		{"code of another campaign", "/?c=spring&k=" + otherCode, http.StatusNotFound, "invalid_link"},
		{"cq too long", "/?c=spring&cq=" + strings.Repeat("x", 257), http.StatusBadRequest, "bad_request"},
		{"not started", "/?c=later", http.StatusGone, "not_started"},
		{"ended by window", "/?c=over", http.StatusGone, "ended"},
		{"ended by status", "/?c=closed", http.StatusGone, "ended"},
		{"api path", "/api/scheme?c=winter", http.StatusNotFound, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.target, nil)
			if r.Status != tt.status || r.Err.Error != tt.kind {
				t.Fatalf("%s: %d %+v, want %d %s", tt.target, r.Status, r.Err, tt.status, tt.kind)
			}
		})
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead} {
		r := e.do(t, m, "/?c=spring", "1.2.3.4", nil)
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, OPTIONS" {
			t.Errorf("%s: %d Allow=%q", m, r.Status, r.Header.Get("Allow"))
		}
	}
	if n := e.wx.Calls(wxapi.PathGenerateScheme) + e.wx.Calls(wxapi.PathStableToken); n != 0 {
		t.Fatalf("rejected requests made %d WeChat calls, want 0", n)
	}
}

func TestKindOf(t *testing.T) {
	if KindOf(context.Canceled) != ErrInternal {
		t.Error("unwrapped error should be internal")
	}
	if KindOf(ErrEnded) != ErrEnded {
		t.Error("kind itself")
	}
}
