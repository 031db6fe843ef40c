package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/store"
)

// beaconHandler is the real beacon endpoint over a store of the site's own.
func beaconHandler(t testing.TB, s *site) http.Handler {
	t.Helper()
	st, err := store.Open(t.Context(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rec, err := funnel.NewRecorder(st)
	if err != nil {
		t.Fatal(err)
	}
	s.funnel = st
	return funnel.NewHandler(rec, funnel.HandlerOptions{})
}

// TestPageBeacons: the page reports what it did with sendBeacon, and the
// jump happens all the same: a phone browser sends jump and, when it stays,
// fallback; a desktop sends qr.
func TestPageBeacons(t *testing.T) {
	b := startBrowser(t)
	s := startSite(t)
	waitCount := func(campaign string, e funnel.Event, p funnel.Platform) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			snap, err := funnel.Read(t.Context(), s.funnel, campaign)
			if err != nil {
				t.Fatal(err)
			}
			if snap.ByPlatform[p][e] == 1 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s beacon from %s not counted: %+v", e, p, snap.ByPlatform)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	tb, _ := b.open(t, uaIPhoneSafari, true, s.url+"/?c=spring")
	waitState(t, tb, "fallback")
	if len(tb.weixinNavs()) == 0 {
		t.Fatal("no jump")
	}
	waitCount("spring", funnel.Jump, funnel.IOS)
	waitCount("spring", funnel.Fallback, funnel.IOS)

	tb, _ = b.open(t, uaDesktopChrome, false, s.url+"/?c=spring&cq=desk")
	waitState(t, tb, "desktop")
	waitCount("spring", funnel.QR, funnel.Desktop)
}
