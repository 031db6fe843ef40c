package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/followup"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/report"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
)

// readFunnel reads the funnel.json of a name's current job; ok is false
// when the send-sms timer has not written one yet.
func readFunnel(ctx context.Context, b *blob.Bucket, name string) (fn report.Funnel, reportKey string, ok bool, err error) {
	l, err := send.ReadLatest(ctx, b, name)
	if err != nil {
		return fn, "", false, nil
	}
	data, err := b.ReadAll(ctx, l.Report+followup.FunnelFile)
	if err != nil {
		return fn, "", false, nil
	}
	if err := json.Unmarshal(data, &fn); err != nil {
		return fn, "", false, fmt.Errorf("%s: %w", l.Report+followup.FunnelFile, err)
	}
	return fn, l.Report + followup.ReportFile, true, nil
}

// funnelLines are the funnel's rows for the status table: each step with
// its share of the step before.
func funnelLines(fn report.Funnel) []zh.Line {
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }
	n := func(v int64) string { return zh.Count(int(v)) }
	lines := []zh.Line{
		{Label: "已送达", Value: n(int64(fn.Delivered)), Note: "占已发送 " + pct(fn.Rates.Delivered)},
		{Label: "送达失败", Value: n(int64(fn.DeliveryFailed)), Note: failureNote(fn.DeliveryFailures)},
		{Label: "未收到回执", Value: n(int64(fn.NotReported)), Note: "已送达 + 送达失败 + 未收到回执 = 已发送 " + n(int64(fn.Sent))},
		{Label: "打开链接", Value: n(fn.Opened), Note: "占已送达 " + pct(fn.Rates.Opened)},
		{Label: "跳转小程序", Value: n(fn.Jumped), Note: "占打开 " + pct(fn.Rates.Jumped)},
		{Label: "到达小程序", Value: n(fn.Arrived), Note: "小程序上报（可选）"},
	}
	if r := fn.Receipts; r.Duplicates+r.Late > 0 {
		lines = append(lines, zh.Line{Label: "忽略的回执", Value: n(int64(r.Duplicates + r.Late)),
			Note: fmt.Sprintf("重复 %d，超出回执窗口 %d", r.Duplicates, r.Late)})
	}
	state := "仍在收集回执，数字会更新"
	if fn.Settled {
		state = "回执已收齐"
	}
	return append(lines, zh.Line{Label: "回执更新", Value: zh.Time(fn.Generated), Note: state})
}

func failureNote(m map[string]int) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, "，")
}

// statusFunnel prints the funnel rows under the job's status table and,
// with open, opens report.html. With the emulator's store (storeURL), opens,
// jumps and arrivals are read live from the counters rather than from the
// last funnel.json.
func statusFunnel(ctx context.Context, w io.Writer, b *blob.Bucket, name, where, storeURL string, open bool) error {
	fn, key, ok, err := readFunnel(ctx, b, name)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintln(w, "  漏斗：还没有（任务结束后 send-sms 的定时器每 2 分钟写 funnel.json 和 report.html）")
		return nil
	}
	if storeURL != "" && fn.Campaign != "" {
		if snap, err := liveCounts(ctx, storeURL, fn.Campaign); err == nil {
			fn.Opened, fn.Jumped, fn.Arrived = snap.Totals[funnel.Opened], snap.Totals.Jumped(), snap.Totals[funnel.Arrived]
			fn.Fill()
		}
	}
	lines := append(funnelLines(fn), zh.Line{Label: "活动报告", Value: where + filepath.FromSlash(key)})
	if err := zh.WriteLines(w, "  ", lines); err != nil {
		return err
	}
	if !open {
		return nil
	}
	local := ""
	if storeURL != "" {
		local = where + filepath.FromSlash(key)
	}
	path, err := openReport(ctx, b, key, local)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "已打开 %s\n", path)
	return nil
}

// liveCounts reads a campaign's counters from the emulator's store (bolt
// is shared safely with the running functions).
func liveCounts(ctx context.Context, storeURL, campaign string) (funnel.Snapshot, error) {
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		return funnel.Snapshot{}, err
	}
	defer st.Close()
	return funnel.Read(ctx, st, campaign)
}

// openReport opens report.html in the desktop's browser: the file itself
// from the local bucket, a private copy in a temporary file from COS.
func openReport(ctx context.Context, b *blob.Bucket, key, localPath string) (string, error) {
	path := localPath
	if path == "" {
		data, err := b.ReadAll(ctx, key)
		if err != nil {
			return "", err
		}
		f, err := os.CreateTemp("", "smsjump-report-*.html")
		if err != nil {
			return "", err
		}
		defer f.Close()
		if _, err := f.Write(data); err != nil {
			return "", err
		}
		path = f.Name()
	}
	opener := "xdg-open"
	if runtime.GOOS == "darwin" {
		opener = "open"
	}
	if err := exec.CommandContext(ctx, opener, path).Start(); err != nil {
		return path, fmt.Errorf("用 %s 打开 %s 失败：%w（请手动打开）", opener, path, err)
	}
	return path, nil
}
