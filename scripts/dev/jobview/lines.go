package jobview

import (
	"fmt"
	"slices"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/send"
)

// Lines is the status table of a job: state, times, counts that add up,
// failures with their fix, and the progress of a run under way. A new count
// is one more Line.
func Lines(r Report, now time.Time) []zh.Line {
	var out []zh.Line
	add := func(label, value, note string) { out = append(out, zh.Line{Label: label, Value: value, Note: note}) }
	rows := func(n int) string { return zh.Count(n) + " 行" }
	s := r.Summary
	state := send.Status("")
	switch {
	case r.Running():
		state = send.StatusRunning
	case s != nil:
		state = s.State
	case r.Progress != nil:
		state = r.Progress.State
	}
	add("状态", StateText(state), dryRunNote(s))
	if s != nil {
		if s.Campaign != "" {
			add("活动", s.Campaign, "")
		}
		add("开始", beijing(s.Started), "北京时间")
		if s.Finished != "" {
			add("结束", beijing(s.Finished), fmt.Sprintf("共 %s，运行 %d 次", zh.Duration(seconds(s.DurationSeconds)), s.Runs))
		}
		if s.NextAttempt != "" && state.Resumable() && state != send.StatusRunning {
			add("下次继续", beijing(s.NextAttempt), "定时器每 2 分钟检查一次")
		}
	}
	if p := r.Progress; p != nil && (r.Running() || s == nil) {
		// The summary is from the last stop; while the job runs the
		// progress is what is true now.
		add("已处理", rows(p.Processed), percent(p.BytesRead, p.BytesTotal))
		add("已发送", rows(p.Sent), "")
		add("拒绝", rows(p.Rejected), "")
		if p.Failed+p.Unknown > 0 {
			add("失败或未知", rows(p.Failed+p.Unknown), "")
		}
		if p.Rate > 0 {
			add("速率", fmt.Sprintf("%s 条/秒", zh.Count(int(p.Rate+0.5))), "本次运行")
		}
		if p.ETASeconds >= 0 {
			add("预计剩余", zh.Duration(seconds(p.ETASeconds)), "")
		}
		add("更新于", beijing(p.Updated), ago(p.Updated, now))
		return out
	}
	if s == nil {
		return out
	}
	add("总行数", rows(s.Rows), "")
	sentLabel := "已发送"
	if s.DryRun {
		sentLabel = "可发送（试运行未发）"
	}
	add(sentLabel, rows(s.Sent), "")
	add("拒绝", rows(s.Rejected), "号码或内容有问题，未发送")
	if s.Failed > 0 {
		add("发送失败", rows(s.Failed), "接口拒绝或重试用尽，见 result.csv 的 code 列")
	}
	if s.Unknown > 0 {
		add("结果未知", rows(s.Unknown), "请求超时，可能已发出；未自动重发")
	}
	if s.NotSent > 0 {
		add("未发送", rows(s.NotSent), "任务停止时尚未发送")
	}
	for i, reason := range sortedReasons(s.ByReason) {
		label := ""
		if i == 0 {
			label = "未发送原因"
		}
		add(label, rows(s.ByReason[reason]), reason+" "+ReasonText(reason))
	}
	add("计费条数", zh.Count(s.SegmentsBilled)+" 条", fmt.Sprintf("约 %s（按每条 %.3f 元估算）", zh.Yuan(float64(s.SegmentsBilled)*PricePerSegment), PricePerSegment))
	add("SendSms 请求", zh.Count(s.Calls)+" 次", "")
	if s.RatePerSecond > 0 {
		add("速率", fmt.Sprintf("%s 条/秒", zh.Count(int(s.RatePerSecond+0.5))), fmt.Sprintf("发送时间 %s", zh.Duration(seconds(s.ActiveSeconds))))
	}
	if s.InFlightAtCrash > 0 {
		add("崩溃时在途", rows(s.InFlightAtCrash), "这些号码可能收到两条，见 result.csv")
	}
	if s.Error != nil {
		why, fix := FatalText(s.Error)
		add("错误", why, "")
		add("处理方法", fix, "")
	}
	return out
}

// PricePerSegment is the list price of one domestic SMS in CNY used for
// estimates; packages are cheaper, so the estimate errs high.
const PricePerSegment = 0.045

// jobReasons are the reasons the job adds to those of the rows.
var jobReasons = map[string]string{
	send.ReasonDryRun:          "试运行，未发送",
	send.ReasonInvalidManifest: "清单有误，未发送",
	send.ReasonAPIRefused:      "接口拒绝了该号码（见 result.csv 的 code 列）",
	send.ReasonRetriesExceeded: "临时错误重试用尽",
	send.ReasonMaybeSent:       "请求超时，可能已发出；未自动重发",
	send.ReasonJobStopped:      "任务因错误停止，未发送",
	send.ReasonAlreadySent:     "同名的上一份上传已发过（或可能已发过）这个号码，不再发",
	send.ReasonCrashLoop:       "连续多次运行崩溃且没有进展，任务已停止",
	send.ReasonOptedOut:        "已退订（回复 R 或在退订名单中），不发送",
	send.ReasonFrequencyCapped: "达到跨活动的发送频率上限（FREQUENCY_CAP），不发送",
}

// ReasonText is the Chinese explanation of a row or job reason code.
func ReasonText(code string) string {
	if t, ok := jobReasons[code]; ok {
		return t
	}
	return campaign.Reason(code).Description()
}

func dryRunNote(s *send.Summary) string {
	if s != nil && s.DryRun {
		return "试运行（dry_run）：没有真正发送"
	}
	return ""
}

func sortedReasons(m map[string]int) []string {
	var out []string
	for r, n := range m {
		if n > 0 {
			out = append(out, r)
		}
	}
	order := map[string]int{}
	for i, r := range campaign.Reasons() {
		order[string(r)] = i + 1
	}
	slices.SortFunc(out, func(a, b string) int {
		oa, ob := order[a], order[b]
		if oa == 0 {
			oa = 1 << 20
		}
		if ob == 0 {
			ob = 1 << 20
		}
		if oa != ob {
			return oa - ob
		}
		if a < b {
			return -1
		}
		return 1
	})
	return out
}

// beijing shows an RFC 3339 time from a report in Beijing time.
func beijing(rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		return rfc3339
	}
	return zh.Time(t)
}

func ago(rfc3339 string, now time.Time) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil || now.Before(t) {
		return ""
	}
	return zh.Duration(now.Sub(t).Round(time.Second)) + "前"
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func percent(n, total int64) string {
	if total <= 0 {
		return ""
	}
	return fmt.Sprintf("已读 %d%% 的文件", n*100/total)
}
