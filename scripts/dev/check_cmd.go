package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/smsjump/smsjump/scripts/dev/check"
	"github.com/smsjump/smsjump/shared/campaign"
)

// progressFrom is the file size from which check shows a progress bar.
const progressFrom = 8 << 20

// runCheck is `check FILE.csv [--manifest FILE.json] [--out DIR] [--price P]`.
func runCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	manifestPath := fs.String("manifest", "", "campaign manifest (default: FILE.json beside the CSV, if present)")
	outDir := fs.String("out", "", "where to write result.csv and summary.json (default .smsjump/check/NAME)")
	price := fs.Float64("price", check.DefaultPricePerSegment, "price of one SMS segment in CNY, for the estimate")
	progress := fs.Bool("progress", false, "show the progress bar even when stderr is not a terminal")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("check needs exactly one CSV file")
	}
	csvPath := pos[0]
	name := strings.TrimSuffix(filepath.Base(csvPath), filepath.Ext(csvPath))
	if *manifestPath == "" {
		if side := strings.TrimSuffix(csvPath, filepath.Ext(csvPath)) + ".json"; fileExists(side) {
			*manifestPath = side
		}
	}
	m, err := checkManifest(*manifestPath, name)
	if err != nil {
		return err
	}
	if *outDir == "" {
		*outDir = filepath.Join(".smsjump", "check", name)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}

	f, err := os.Open(csvPath)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	reportPath := filepath.Join(*outDir, "result.csv")
	rf, err := os.Create(reportPath)
	if err != nil {
		return err
	}
	defer rf.Close()

	opt := check.Options{Manifest: m, File: csvPath, PricePerSegment: *price, Report: rf, SizeHint: int(fi.Size() / 16)}
	var bar *progressbar.ProgressBar
	if fi.Size() >= progressFrom && (*progress || term.IsTerminal(int(os.Stderr.Fd()))) {
		bar = progressbar.NewOptions64(fi.Size(),
			progressbar.OptionSetDescription("checking "+filepath.Base(csvPath)),
			progressbar.OptionSetWriter(os.Stderr),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100e6),
			progressbar.OptionClearOnFinish(),
		)
		opt.Progress = func(n int64) { _ = bar.Set64(n) }
	}
	if manifestSource := *manifestPath; manifestSource != "" {
		fmt.Fprintf(os.Stderr, "manifest %s\n", manifestSource)
	} else {
		fmt.Fprintln(os.Stderr, "no manifest: using the defaults from the environment (SMS_* variables)")
	}
	s, err := check.Run(ctx, f, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := rf.Close(); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(*outDir, "summary.json"), s); err != nil {
		return err
	}
	if err := check.WriteTable(os.Stdout, s); err != nil {
		return err
	}
	fmt.Printf("\nwould-be report: %s\nsummary:         %s\n", reportPath, filepath.Join(*outDir, "summary.json"))
	return nil
}

// checkManifest reads the manifest, or builds the default one from the
// environment as send-sms does for an upload without one; the sandbox
// account fills what the environment leaves empty, so check runs anywhere.
func checkManifest(path, name string) (campaign.Manifest, error) {
	d := campaign.Defaults{
		CampaignID:   campaign.CampaignIDFromName(name),
		SDKAppID:     envOr("SMS_SDK_APP_ID", sandboxSdkAppID),
		SignName:     envOr("SMS_SIGN_NAME", sandboxSignName),
		TemplateID:   envOr("SMS_TEMPLATE_ID", sandboxTemplateID),
		TemplateText: os.Getenv("SMS_TEMPLATE_TEXT"),
		LinkBaseURL:  envOr("LINK_BASE_URL", demoShippedBase),
		TargetPath:   envOr("TARGET_PATH", "pages/index/index"),
	}
	if path == "" {
		return campaign.DefaultManifest(d), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return campaign.Manifest{}, err
	}
	defer f.Close()
	m, err := campaign.ParseManifest(f, d)
	if err != nil {
		return m, fmt.Errorf("manifest %s: %w", path, err)
	}
	return m, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
