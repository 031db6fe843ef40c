package main

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// pageWeight sums the files a visit downloads (the JS-SDK aside): index.html,
// config.js and the entry bundle; a desktop visit adds the QR chunk.
func pageWeight(t *testing.T, dir string) (mobile, desktop int64) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		n := e.Name()
		switch {
		case n == "index.html", n == "config.js", strings.HasPrefix(n, "app-") && strings.HasSuffix(n, ".js"):
			mobile += fi.Size()
			desktop += fi.Size()
		case strings.HasPrefix(n, "chunk-") && strings.HasSuffix(n, ".js"):
			desktop += fi.Size()
		}
	}
	return mobile, desktop
}

// TestPageTimeToJump (SMSJUMP_BENCH=1) prints the page weight and the time
// from navigation start to the jump in headless Chromium (the weixin://
// navigation in a phone browser, the URL Link navigation in WeChat), for a
// warm cache, as the median of 15 loads. It checks that the figures
// are measured, not how fast they are.
func TestPageTimeToJump(t *testing.T) {
	if os.Getenv("SMSJUMP_BENCH") != "1" {
		t.Skip("set SMSJUMP_BENCH=1 to measure the page")
	}
	b := startBrowser(t)
	s := startSite(t)
	mobile, desktop := pageWeight(t, s.dir)
	if mobile == 0 || desktop <= mobile {
		t.Fatalf("page weight: mobile %d, desktop %d bytes", mobile, desktop)
	}
	const loads = 15
	t.Logf("page weight: mobile visit %d bytes, desktop visit %d bytes (raw)", mobile, desktop)
	for _, c := range []struct{ name, ua string }{
		{"phone browser, weixin:// jump", uaIPhoneSafari},
		{"WeChat, URL Link", uaIOSWeChat},
	} {
		var took []time.Duration
		for i := range loads + 1 {
			tb, _ := b.open(t, c.ua, true, s.url+"/?c=spring&cq=bench")
			jumped := func() bool { return len(tb.weixinNavs())+len(tb.urlLinkNavs()) > 0 }
			deadline := time.Now().Add(10 * time.Second)
			for !jumped() && time.Now().Before(deadline) {
				time.Sleep(2 * time.Millisecond)
			}
			if !jumped() {
				t.Fatalf("%s: no jump", c.name)
			}
			tb.mu.Lock()
			d := tb.jumpAt.Sub(tb.navStart)
			tb.mu.Unlock()
			if i > 0 { // the first load fills the cache
				took = append(took, d)
			}
		}
		slices.Sort(took)
		t.Logf("time to jump attempt (%s), warm cache, %d loads: median %s, min %s, max %s", c.name,
			len(took), took[len(took)/2].Round(time.Millisecond), took[0].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
	}
}
