package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

const iPhoneUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"

// openUntilScheme opens link in headless Chromium as an iPhone would and
// returns the weixin:// URL the page navigates to. The navigation itself
// goes nowhere (no WeChat here); it is caught as the renderer requests it.
func openUntilScheme(t *testing.T, link string) string {
	t.Helper()
	chrome := os.Getenv("SMSJUMP_CHROMIUM")
	if chrome == "" {
		skipOrFail(t, "SMSJUMP_CHROMIUM is not set (path to a Chromium binary)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.UserAgent(iPhoneUA),
		chromedp.WindowSize(390, 844),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()

	got := make(chan string, 1)
	found := func(u string) {
		if strings.HasPrefix(u, "weixin://") {
			select {
			case got <- u:
			default:
			}
		}
	}
	// Open the tab first so the listener sees every event of the page.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", chrome, err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventFrameRequestedNavigation:
			found(e.URL)
		case *network.EventRequestWillBeSent:
			found(e.Request.URL)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatalf("open %s: %v", link, err)
	}
	select {
	case u := <-got:
		return u
	case <-ctx.Done():
		t.Fatalf("no weixin:// navigation from %s within the timeout", link)
	}
	return ""
}
