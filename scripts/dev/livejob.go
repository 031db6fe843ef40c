package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/check"
	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/campaign"
)

// liveNetworkWarning: the SCF Go library binds its RPC port on 0.0.0.0 and
// the functions hold real credentials in --live.
const liveNetworkWarning = "注意：函数进程按 SCF Go 运行库的做法在所有网卡（0.0.0.0）的随机端口上监听，--live 时它们持有真实密钥，只应在可信网络中运行。"

// livePrompt is what every --live confirmation starts with.
func livePrompt(sdkAppID string) string {
	return fmt.Sprintf("--live：send-sms 将调用腾讯云短信（SdkAppId %s），真实手机会收到短信并产生费用。\n%s", sdkAppID, liveNetworkWarning)
}

// describeJob checks the uploaded CSV as `check` does and says what its job
// will send: job, signature, template, numbers, billed messages and cost.
func (e *emulator) describeJob(csvKey string) (details string, paid bool) {
	csvPath := filepath.Join(e.lay.bucket(), filepath.FromSlash(csvKey))
	name := strings.TrimSuffix(filepath.Base(csvPath), ".csv")
	manifestPath := strings.TrimSuffix(csvPath, ".csv") + ".json"
	if !fileExists(manifestPath) {
		manifestPath = ""
	}
	details, dryRun, err := describeCSV(csvPath, manifestPath, name)
	if err != nil {
		return fmt.Sprintf("任务 %s：无法预先检查（%v）；send-sms 会在报告中说明原因\n", csvKey, err), true
	}
	return details, !dryRun
}

// describeCSV is the confirmation table of one CSV, and whether its
// manifest asks for a dry run.
func describeCSV(csvPath, manifestPath, name string) (string, bool, error) {
	m, err := checkManifest(manifestPath, name)
	if err != nil {
		return "", false, err
	}
	qps, err := configuredQPS()
	if err != nil {
		return "", false, err
	}
	f, err := os.Open(csvPath)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := check.Run(ctx, f, check.Options{Manifest: m, File: filepath.Base(csvPath), QPS: qps})
	if err != nil {
		return "", false, err
	}
	kind := "通知"
	if m.Type == campaign.Marketing {
		kind = "营销"
	}
	lines := []zh.Line{
		{Label: "任务", Value: "uploads/" + name + ".csv", Note: "活动 " + m.CampaignID},
		{Label: "签名", Value: "【" + m.SignName + "】"},
		{Label: "模板", Value: m.TemplateID, Note: kind},
		{Label: "将发送", Value: zh.Count(s.Valid) + " 个号码", Note: fmt.Sprintf("另有 %s 行被拒绝，不发送", zh.Count(s.Rejected))},
		{Label: "计费条数", Value: zh.Count(s.Segments) + " 条", Note: fmt.Sprintf("约 %s（按每条 %.3f 元估算，以套餐实际价格为准）", zh.Yuan(s.EstimatedCost), s.PricePerSegment)},
	}
	if m.DryRun {
		lines = append(lines, zh.Line{Label: "试运行", Value: "dry_run", Note: "不会真正发送"})
	}
	var b bytes.Buffer
	_ = zh.WriteLines(&b, "  ", lines)
	return b.String(), m.DryRun, nil
}
