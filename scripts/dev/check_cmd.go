package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/smsjump/smsjump/scripts/dev/check"
	"github.com/smsjump/smsjump/scripts/dev/progress"
	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/campaign"
)

// progressFrom is the file size from which check shows a progress bar.
const progressFrom = 8 << 20

// runCheck is `check FILE.csv [--manifest FILE.json] [--out DIR] [--price P]`.
func runCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	manifestPath := fs.String("manifest", "", "campaign manifest (default: FILE.json beside the CSV, if present)")
	outDir := fs.String("out", "", "where to write result.csv, rejects.csv and summary.json (default .smsjump/check/NAME)")
	price := fs.Float64("price", check.DefaultPricePerSegment, "price of one SMS segment in CNY, for the estimate")
	showProgress := fs.Bool("progress", false, "show the progress bar even when stderr is not a terminal")
	live := fs.Bool("live", false, "count opt-outs and capped rows against the deployed store (STORE_URL, FREQUENCY_CAP); default: the emulator's store under --dir")
	dir := fs.String("dir", ".smsjump", "the emulator's work directory, whose store holds the local lists")
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
	rejectsPath := filepath.Join(*outDir, "rejects.csv")
	jf, err := os.Create(rejectsPath)
	if err != nil {
		return err
	}
	defer jf.Close()
	qps, err := configuredQPS()
	if err != nil {
		return err
	}

	aud, closeAud, err := checkAudience(ctx, m, *dir, *live)
	if err != nil {
		return err
	}
	defer closeAud()

	opt := check.Options{Manifest: m, File: csvPath, PricePerSegment: *price, Report: rf, Rejects: jf, QPS: qps, SizeHint: int(fi.Size() / 16)}
	if aud != nil {
		opt.Audience = aud
	}
	var bar *progress.Line
	if fi.Size() >= progressFrom && (*showProgress || term.IsTerminal(int(os.Stderr.Fd()))) {
		bar = progress.New(os.Stderr, true, 100*time.Millisecond)
		start, total, base := time.Now(), fi.Size(), filepath.Base(csvPath)
		opt.Progress = func(n int64) { bar.Set(checkProgress(base, n, total, time.Since(start)), false) }
	}
	if manifestSource := *manifestPath; manifestSource != "" {
		fmt.Fprintf(os.Stderr, "清单 %s\n", manifestSource)
	} else {
		fmt.Fprintln(os.Stderr, "没有清单：使用环境变量（SMS_* 等）中的默认值")
	}
	s, err := check.Run(ctx, f, opt)
	if bar != nil {
		bar.Clear()
	}
	if err != nil {
		return err
	}
	if err := rf.Close(); err != nil {
		return err
	}
	if err := jf.Close(); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(*outDir, "summary.json"), s); err != nil {
		return err
	}
	if err := check.WriteTable(os.Stdout, s); err != nil {
		return err
	}
	fmt.Printf("\n完整报告：%s\n", reportPath)
	if s.Rejected > 0 {
		fmt.Printf("被拒绝的行：%s（改好后可直接再次 check 或上传）\n", rejectsPath)
	} else {
		fmt.Printf("被拒绝的行：无（%s 只有表头）\n", rejectsPath)
	}
	fmt.Printf("汇总：%s\n", filepath.Join(*outDir, "summary.json"))
	return nil
}

// checkProgress is the progress line of check: share of the file, bytes,
// and a rate and time left only once they mean something.
func checkProgress(name string, n, total int64, elapsed time.Duration) string {
	line := fmt.Sprintf("检查 %s  %3d%%  %s / %s", name, n*100/max(total, 1), zh.Bytes(n), zh.Bytes(total))
	if rate, ok := progress.Rate(float64(n), elapsed, 500*time.Millisecond); ok && rate > 0 {
		left := time.Duration(float64(total-n) / rate * float64(time.Second))
		line += fmt.Sprintf("  %.1f MB/秒  剩余约 %s", rate/1e6, zh.Duration(left))
	}
	return line
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

// configuredQPS is SMS_QPS as send-sms reads it (default 3000).
func configuredQPS() (int, error) {
	v := os.Getenv("SMS_QPS")
	if v == "" {
		return campaign.DefaultQPS, nil
	}
	q, err := strconv.Atoi(v)
	if err != nil || q < 1 || q > 100000 {
		return 0, fmt.Errorf("SMS_QPS=%q: 需要 1 到 100000 之间的整数（每秒 SendSms 请求数）", v)
	}
	return q, nil
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
