package scheme

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// TestNoDeadEnds: closed, unknown and forged links answer with when the
// campaign runs and a link into the mini-program's fallback page (the
// campaign's own, else FALLBACK_PATH), of the kind the page asked for.
// The fallback is cached: a flood of forged links costs one generation.
func TestNoDeadEnds(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.FallbackPath = "pages/home/index"; o.RatePerMinute = 0 })
	ctx := context.Background()
	promo := link.Page{Title: "春季会员日", Poster: "https://h5.example.cn/spring.jpg", Fallback: &link.Target{Path: "pages/shop/index", Query: "from=ended"}}
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "promo", Target: link.Target{Path: "pages/a/a"}, End: t0.Add(-time.Hour), Status: link.StatusActive, Page: promo}); err != nil {
		t.Fatal(err)
	}
	if err := e.links.PutCampaign(ctx, link.Campaign{ID: "live", Target: link.Target{Path: "pages/a/a"}, Status: link.StatusActive, Page: link.Page{Title: "进行中", Poster: "https://h5.example.cn/live.jpg"}}); err != nil {
		t.Fatal(err)
	}

	r := e.get(t, "/?c=over", nil)
	if r.Status != 410 || r.Err.ClosedInfo == nil || r.Err.EndedAt != t0.Unix() || r.Err.Fallback == nil ||
		r.Err.Fallback.Path != "pages/home/index" || r.Err.Fallback.Mode != ModeEncrypted ||
		!strings.HasPrefix(r.Err.Fallback.OpenLink, "weixin://dl/business/?t=") {
		t.Fatalf("ended: %d %+v %+v", r.Status, r.Err, r.Err.ClosedInfo)
	}
	r = e.get(t, "/?c=later&link=urllink", nil)
	if r.Status != 410 || r.Err.StartsAt != t0.Add(time.Hour).Unix() || r.Err.Fallback == nil ||
		r.Err.Fallback.Mode != ModeURLLink || !strings.HasPrefix(r.Err.Fallback.OpenLink, "https://wxaurl.cn/") {
		t.Fatalf("not started, in WeChat: %d %+v", r.Status, r.Err.ClosedInfo)
	}
	r = e.get(t, "/?c=promo", nil)
	if r.Status != 410 || r.Err.Title != "春季会员日" || r.Err.Poster != promo.Poster || r.Err.Fallback == nil || r.Err.Fallback.Path != "pages/shop/index" {
		t.Fatalf("campaign fallback: %d %+v", r.Status, r.Err.ClosedInfo)
	}
	schemes := e.wx.Schemes()
	if last := schemes[len(schemes)-1]; last.Path != "pages/shop/index" || last.Query != "from=ended" {
		t.Errorf("campaign fallback generated for %s?%s", last.Path, last.Query)
	}

	before := generations(e.wx)
	for _, target := range []string{"/?c=winter", "/?c=spring&k=ABCDEFGH", "/?c=Bad!"} {
		for range 50 {
			r = e.get(t, target, nil)
			if r.Status != 404 || r.Err.Fallback == nil || r.Err.Fallback.Path != "pages/home/index" {
				t.Fatalf("%s: %d %+v", target, r.Status, r.Err.ClosedInfo)
			}
		}
	}
	if got := generations(e.wx) - before; got != 0 {
		t.Errorf("150 unknown or forged links cost %d generations (fallback already cached)", got)
	}

	// The page block rides on a working link's answer too.
	r = e.get(t, "/?c=live", nil)
	if r.Status != 200 || r.OK.Title != "进行中" || r.OK.Poster != "https://h5.example.cn/live.jpg" {
		t.Errorf("live: %d %+v", r.Status, r.OK)
	}
}

// TestNoFallbackConfigured: without a fallback the answer says only when.
func TestNoFallbackConfigured(t *testing.T) {
	e := newEnv(t, nil, nil, nil)
	r := e.get(t, "/?c=over", nil)
	if r.Status != 410 || r.Err.ClosedInfo == nil || r.Err.Fallback != nil || r.Err.EndedAt != t0.Unix() {
		t.Fatalf("ended: %d %+v", r.Status, r.Err.ClosedInfo)
	}
	if r = e.get(t, "/?c=winter", nil); r.Status != 404 || r.Err.ClosedInfo != nil {
		t.Fatalf("unknown: %d %+v", r.Status, r.Err.ClosedInfo)
	}
	if n := e.wx.Calls(wxapi.PathGenerateScheme); n != 0 {
		t.Errorf("%d generations without a fallback", n)
	}
}

// TestStaticCampaignPage: a STATIC_CAMPAIGNS entry carries its page block.
func TestStaticCampaignPage(t *testing.T) {
	st := newMemStore(t)
	links := link.NewRegistry(st, map[string]config.StaticCampaign{
		"poster": {Path: "pages/a/a", End: t0, Title: "海报活动", Poster: "https://h5.example.cn/p.jpg", FallbackPath: "pages/home/index"},
	}, link.Options{})
	svc, err := New(links, st, nil, nil, Options{AppID: testAppID, Mode: ModePlaintext, Now: func() time.Time { return t0 }, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{svc: svc}
	r := e.get(t, "/?c=poster", nil)
	if r.Status != 410 || r.Err.ClosedInfo == nil || r.Err.Title != "海报活动" || r.Err.Fallback == nil ||
		!strings.Contains(r.Err.Fallback.OpenLink, "path=pages/home/index") {
		t.Fatalf("%d %+v", r.Status, r.Err.ClosedInfo)
	}
}
