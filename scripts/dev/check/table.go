package check

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/campaign"
)

// Line is one row of the terminal summary. Lines lists them in order; a
// new count is one more Line.
type Line = zh.Line

// Lines is the summary for the operator, in Chinese with every unit named.
func Lines(s *Summary) []Line {
	var out []Line
	add := func(label, value, note string) { out = append(out, Line{Label: label, Value: value, Note: note}) }
	rows := func(n int) string { return zh.Count(n) + " 行" }
	add("文件", s.File, encodingNote(s))
	add("总行数", rows(s.Rows), "不含表头和空行")
	add("可发送", rows(s.Valid), "")
	add("拒绝", rows(s.Rejected), "明细见 rejects.csv")
	for _, r := range reasonsInOrder(s.ByReason) {
		add("  "+string(r), rows(s.ByReason[r]), r.Description())
	}
	if s.AudienceChecked {
		add("已退订（不发送）", rows(s.OptedOut), "在退订名单里：回复了 R/TD、suppress/ 上传或运营商黑名单")
		add("超出频次（不发送）", rows(s.Capped), "已达 FREQUENCY_CAP（跨活动计数）")
	}
	if s.ExcelFloat > 0 {
		add("Excel 小数格式号码", rows(s.ExcelFloat), "如 13800138000.0，已按整数读取并发送；建议将该列设为文本")
	}
	add("计费条数", zh.Count(s.Segments)+" 条", "签名+正文 ≤ 70 字计 1 条，更长按 67 字一条")
	for _, n := range sortedKeys(s.BySegments) {
		if n > 1 {
			add("", "", fmt.Sprintf("%s 行按 %d 条计费", zh.Count(s.BySegments[n]), n))
		}
	}
	add("预计费用", zh.Yuan(s.EstimatedCost), fmt.Sprintf("按每条 %.3f 元（--price）", s.PricePerSegment))
	add("SendSms 请求", zh.Count(s.Calls)+" 次", "参数相同的号码每次最多 200 个")
	add("预计发送耗时", sendTime(s.SendSeconds),
		fmt.Sprintf("按每秒 %s 次请求（SMS_QPS 或清单 qps）；营销短信只在 08:00–22:00 发送", zh.Count(s.QPS)))
	add("检查耗时", zh.Duration(s.Duration), zh.Bytes(s.Bytes))
	return out
}

func sendTime(sec float64) string {
	if sec < 1 {
		return "不到 1 秒"
	}
	return "约 " + zh.Duration(time.Duration(sec*float64(time.Second)))
}

func encodingNote(s *Summary) string {
	if s.Encoding == "" {
		return ""
	}
	return "编码 " + s.Encoding
}

// WriteTable prints Lines aligned for a terminal.
func WriteTable(w io.Writer, s *Summary) error {
	return zh.WriteLines(w, "", Lines(s))
}

// reasonsInOrder lists the reasons present, in report order, then any code
// the campaign package does not list (a future reason still shows).
func reasonsInOrder(m map[campaign.Reason]int) []campaign.Reason {
	var out []campaign.Reason
	known := map[campaign.Reason]bool{}
	for _, r := range campaign.Reasons() {
		known[r] = true
		if m[r] > 0 {
			out = append(out, r)
		}
	}
	var extra []campaign.Reason
	for r, n := range m {
		if !known[r] && n > 0 {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
