package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/smsjump/smsjump/shared/report"
)

// TestReportInChromium opens report.html from a file in headless Chromium
// at phone and desktop widths, saves screenshots to $SMSJUMP_ARTIFACTS/report,
// and checks that the page asked the network for nothing and fits the
// phone's width.
func TestReportInChromium(t *testing.T) {
	path := os.Getenv("SMSJUMP_CHROMIUM")
	if path == "" {
		if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
			t.Fatal("SMSJUMP_CHROMIUM is not set and SMSJUMP_REQUIRE_SERVERS=1")
		}
		t.Skip("SMSJUMP_CHROMIUM (path of a Chromium binary) is not set")
	}
	html, err := report.HTML(sample())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, html, 0o644); err != nil {
		t.Fatal(err)
	}
	artifacts := os.Getenv("SMSJUMP_ARTIFACTS")
	if artifacts == "" {
		artifacts = filepath.Join(os.TempDir(), "smsjump-artifacts")
	}
	artifacts = filepath.Join(artifacts, "report")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	for _, v := range []struct {
		name          string
		width, height int64
		scale         float64
		mobile        bool
	}{{"phone", 390, 844, 2, true}, {"desktop", 1280, 900, 1, false}} {
		t.Run(v.name, func(t *testing.T) {
			ctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			ctx, cancelTimeout := context.WithTimeout(ctx, 30*time.Second)
			defer cancelTimeout()
			var mu sync.Mutex
			var requests []string
			if err := chromedp.Listen(ctx, func(ev any) {
				if e, ok := ev.(*network.EventRequestWillBeSent); ok {
					mu.Lock()
					requests = append(requests, e.Request.URL)
					mu.Unlock()
				}
			}); err != nil {
				t.Fatal(err)
			}
			err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
				if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
					return err
				}
				_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
					Width: v.width, Height: v.height, DeviceScaleFactor: v.scale, Mobile: v.mobile,
				})
				return err
			}), chromedp.Navigate("file://"+file))
			if err != nil {
				t.Fatal(err)
			}
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? document.title : ""`))
			if err != nil || !strings.Contains(title, "活动报告") {
				t.Fatalf("title %q, %v", title, err)
			}
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
			if err != nil || overflow {
				t.Errorf("page wider than the %s viewport (%v)", v.name, err)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(artifacts, "report-"+v.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, u := range requests {
				if u != "file://"+file {
					t.Errorf("report.html loaded %s", u)
				}
			}
			if len(requests) == 0 {
				t.Error("no request seen at all: the network listener is not working, so the check proves nothing")
			}
		})
	}
}
