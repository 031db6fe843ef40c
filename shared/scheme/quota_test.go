package scheme

import (
	"context"
	"errors"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/wechat"
)

func generations(wx *wxapi.Server) int {
	return wx.Calls(wxapi.PathGenerateScheme) + wx.Calls(wxapi.PathGenerateURLLink)
}

// TestQuotaExhaustionRemembered: once WeChat answers a daily-quota error,
// every instance sharing the store stops calling it until Beijing
// midnight: 1 000 taps on uncached targets cost no WeChat call, answered
// with the plaintext fallback when enabled, else 503 with a Retry-After
// until midnight. Targets already cached keep working.
func TestQuotaExhaustionRemembered(t *testing.T) {
	for _, code := range []int{44993, 45009} {
		for _, fallback := range []bool{false, true} {
			t.Run(strconv.Itoa(code)+"/fallback="+strconv.FormatBool(fallback), func(t *testing.T) {
				wx := newSandbox(t)
				st := newMemStore(t)
				c := &clock{t: t0}
				opt := func(o *Options) { o.FallbackPlaintext = fallback; o.RatePerMinute = 0 }
				a := newEnv(t, wx, st, c, opt)
				b := newEnv(t, wx, st, c, opt)
				ctx := context.Background()
				for i := range 10 {
					if err := a.links.PutCampaign(ctx, campaignN(i)); err != nil {
						t.Fatal(err)
					}
				}
				// c0 is cached before the quota runs out.
				if r := a.get(t, "/?c=c0", nil); r.Status != 200 {
					t.Fatalf("c0: %d", r.Status)
				}
				wx.Inject(wxapi.PathGenerateScheme, code, 1)
				if r := a.get(t, "/?c=c1", nil); fallback != (r.Status == 200) {
					t.Fatalf("first refusal: %d %+v", r.Status, r.Err)
				}
				calls := generations(wx)

				for i := range 1000 {
					e := []*env{a, b}[i%2]
					target := "/?c=c" + strconv.Itoa(1+i%9)
					if i%3 == 0 {
						target += "&link=urllink"
					}
					r := e.get(t, target, nil)
					switch {
					case fallback && i%3 != 0:
						if r.Status != 200 || r.OK.Mode != ModePlaintext {
							t.Fatalf("tap %d: %d %+v, want the plaintext fallback", i, r.Status, r.OK)
						}
					default:
						// A URL Link has no plaintext form.
						if r.Status != 503 || r.Err.Error != "quota_exhausted" {
							t.Fatalf("tap %d (%s): %d %+v, want 503 quota_exhausted", i, target, r.Status, r.Err)
						}
						ra, _ := strconv.Atoi(r.Header.Get("Retry-After"))
						if want := nextBeijingMidnight(c.Now()).Sub(c.Now()); ra < int(want.Seconds()) || ra > int(want.Seconds())+1 {
							t.Fatalf("Retry-After %q, want %s", r.Header.Get("Retry-After"), want)
						}
					}
				}
				if got := generations(wx) - calls; got != 0 {
					t.Fatalf("1000 taps after exhaustion made %d generation calls, want 0", got)
				}
				// The cached target is still served as a scheme.
				if r := b.get(t, "/?c=c0", nil); r.Status != 200 || r.OK.Mode != ModeEncrypted {
					t.Errorf("cached c0: %d %+v", r.Status, r.OK)
				}
				// After Beijing midnight an instance asks WeChat again.
				c.Advance(nextBeijingMidnight(c.Now()).Sub(c.Now()) + time.Second)
				if r := b.get(t, "/?c=c5", nil); r.Status != 200 || r.OK.Mode != ModeEncrypted {
					t.Errorf("after midnight: %d %+v", r.Status, r.Err)
				}
				if got := generations(wx) - calls; got != 1 {
					t.Errorf("after midnight: %d generation calls, want 1", got)
				}
			})
		}
	}
}

// TestSecondLimitNotRemembered: 44990 is per second. A request that stays
// limited past its budget fails alone; the next one asks WeChat again.
func TestSecondLimitNotRemembered(t *testing.T) {
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.BackoffBudget = 50 * time.Millisecond })
	e.wx.Inject(wxapi.PathGenerateScheme, 44990, 1000)
	_, err := e.svc.Open(context.Background(), Request{Campaign: "spring"})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, wechat.ErrRateLimited) {
		t.Fatalf("persistent 44990: %v", err)
	}
	e.wx.ResetFaults()
	before := e.generated()
	if r, err := e.svc.Open(context.Background(), Request{Campaign: "spring"}); err != nil || r.Source != SourceGenerated {
		t.Fatalf("after 44990: %+v %v", r, err)
	}
	if e.generated() != before+1 {
		t.Errorf("did not call WeChat again after 44990")
	}
}

// TestURLLinkCachedPerTarget is the measure inside WeChat without
// CloudBase hosting: taps over 10 targets spread over instances cost one
// generate_urllink per target, each link carrying the tap's cq after ?cq=.
// SMSJUMP_BENCH=1 runs 10 000 taps; otherwise 2 000.
func TestURLLinkCachedPerTarget(t *testing.T) {
	taps := 2000
	if os.Getenv("SMSJUMP_BENCH") == "1" {
		taps = 10000
	}
	wx := newSandbox(t)
	st := newMemStore(t)
	c := &clock{t: t0}
	envs := make([]*env, 4)
	for i := range envs {
		envs[i] = newEnv(t, wx, st, c, func(o *Options) { o.RatePerMinute = 0 })
	}
	ctx := context.Background()
	for i := range 10 {
		if err := envs[0].links.PutCampaign(ctx, campaignN(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range taps {
		r := envs[i%len(envs)].get(t, "/?c=c"+strconv.Itoa(i%10)+"&link=urllink&cq=r%3D"+strconv.Itoa(i), nil)
		if r.Status != 200 || r.OK.Mode != ModeURLLink {
			t.Fatalf("tap %d: %d %+v %+v", i, r.Status, r.OK, r.Err)
		}
		if want := "?cq=r%3D" + strconv.Itoa(i); len(r.OK.OpenLink) < len(want) || r.OK.OpenLink[len(r.OK.OpenLink)-len(want):] != want ||
			r.OK.OpenLink[:len("https://wxaurl.cn/")] != "https://wxaurl.cn/" {
			t.Fatalf("tap %d: url link %q", i, r.OK.OpenLink)
		}
	}
	if got := wx.Calls(wxapi.PathGenerateURLLink); got != 10 {
		t.Fatalf("%d taps over 10 targets: %d generate_urllink calls, want 10", taps, got)
	}
	if got := wx.Calls(wxapi.PathGenerateScheme); got != 0 {
		t.Errorf("URL Link taps made %d generatescheme calls", got)
	}
}
