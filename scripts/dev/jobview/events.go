package jobview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/send"
)

// Kind is what happened to a job, as its log line says.
type Kind int

const (
	// Other is any other line of send-sms (Level tells how serious).
	Other Kind = iota
	Started
	Resumed // after a crash: some rows may go out twice
	Deferred
	DeferredLimit // the SMS API said to wait (marketing hours, a daily limit)
	WaitSaid      // the first such answer; DeferredLimit follows
	Suspended
	Stopping // a fatal error: no more rows are sent
	Finished
	AlreadyDone
	Busy // running in another invocation
	Unknown
	Silent // said by another event already
)

// kinds maps send-sms's log messages to event kinds. The messages are
// package send's; when one changes, this table is the place to follow.
var kinds = map[string]Kind{
	"send-sms: job started": Started,
	"send-sms: resuming after a crash; rows in flight then are sent again and flagged": Resumed,
	"send-sms: outside the send window; deferred":                                      Deferred,
	"send-sms: deferred by a limit that lifts by itself":                               DeferredLimit,
	"send-sms: the SMS API says to wait; the job is deferred":                          WaitSaid,
	"send-sms: job suspended":                                                          Suspended,
	"send-sms: nothing will be sent":                                                   Silent,
	"send-sms: job stops sending":                                                      Stopping,
	"send-sms: job finished":                                                           Finished,
	"send-sms: job already finished":                                                   AlreadyDone,
	"send-sms: job is running in another invocation; this one leaves it alone":         Busy,
	"send-sms: call outcome unknown; its numbers are reported unknown, not retried":    Unknown,
}

// Event is one log line of a function, decoded.
type Event struct {
	Kind  Kind
	Time  time.Time
	Level string
	Msg   string
	// Name is the upload's name (uploads/<name>.csv), when the line has a key.
	Name  string
	Attrs map[string]any
}

// ParseLog decodes a JSON log line, with or without the host's "[fn#n] "
// prefix. ok is false for anything else (a panic trace, plain text).
func ParseLog(line []byte) (Event, bool) {
	line = bytes.TrimSpace(line)
	if len(line) > 0 && line[0] == '[' {
		if i := bytes.IndexByte(line, ']'); i > 0 {
			line = bytes.TrimSpace(line[i+1:])
		}
	}
	if len(line) == 0 || line[0] != '{' {
		return Event{}, false
	}
	var m map[string]any
	if err := json.Unmarshal(line, &m); err != nil {
		return Event{}, false
	}
	e := Event{Attrs: m}
	e.Msg, _ = m["msg"].(string)
	e.Level, _ = m["level"].(string)
	if ts, ok := m["time"].(string); ok {
		e.Time, _ = time.Parse(time.RFC3339Nano, ts)
	}
	if key, ok := m["key"].(string); ok {
		e.Name = strings.TrimSuffix(path.Base(key), ".csv")
	}
	e.Kind = kinds[e.Msg]
	return e, e.Msg != ""
}

func (e Event) str(k string) string {
	v, _ := e.Attrs[k].(string)
	return v
}

func (e Event) num(k string) int {
	v, _ := e.Attrs[k].(float64)
	return int(v)
}

// Text is the event as the operator reads it, without the time; "" for a
// line not worth a terminal line (the log file keeps it).
func (e Event) Text() string {
	name := e.Name
	if c := e.str("campaign"); c != "" && c != name {
		name += "（活动 " + c + "）"
	}
	switch e.Kind {
	case Started:
		what := "开始发送"
		if e.Attrs["dry_run"] == true {
			what = "开始试运行（dry_run，不真正发送）"
		}
		if w := e.num("watermark"); w > 0 {
			what = fmt.Sprintf("继续发送，从第 %s 行之后开始（第 %d 次运行）", zh.Count(w), e.num("runs"))
		}
		return "▶ " + name + " " + what
	case Resumed:
		return fmt.Sprintf("↻ %s 上次运行中断，第 %d–%d 行可能已经发出，会再发一次并在报告中标出", name, e.num("from"), e.num("to"))
	case Deferred:
		next := e.str("next_attempt")
		if t, err := time.Parse(time.RFC3339Nano, next); err == nil {
			next = zh.Time(t)
		}
		return fmt.Sprintf("⏸ %s 已推迟：不在发送时段（%s–%s，北京时间），将于 %s 自动继续", name, clock(e.Attrs["window_start"]), clock(e.Attrs["window_end"]), next)
	case DeferredLimit:
		next := e.str("next_attempt")
		if t, err := time.Parse(time.RFC3339Nano, next); err == nil {
			next = zh.Time(t)
		}
		return fmt.Sprintf("⏸ %s 已推迟：%s，将于 %s 自动继续，不需要处理", name, limitText(e.str("code")), next)
	case WaitSaid, Silent:
		return ""
	case Suspended:
		if send.Status(e.str("status")) == send.StatusDeferred {
			return "" // the deferred line said it
		}
		return fmt.Sprintf("⏸ %s %s，已处理到第 %s 行", name, StateText(send.Status(e.str("status"))), zh.Count(e.num("watermark")))
	case Stopping:
		why, fix := FatalText(&send.Fatal{Reason: e.str("reason"), Code: e.str("code"), Detail: e.str("detail"), Fix: e.str("fix")})
		return fmt.Sprintf("✘ %s 停止发送：%s\n    处理方法：%s", name, why, fix)
	case Finished:
		st := send.Status(e.str("status"))
		mark := "✔"
		if st != send.StatusDone {
			mark = "✘"
		}
		return fmt.Sprintf("%s %s %s：共 %s 行，发送 %s，拒绝 %s，失败 %s，结果未知 %s，未发送 %s", mark, name, StateText(st),
			zh.Count(e.num("rows")), zh.Count(e.num("sent")), zh.Count(e.num("rejected")), zh.Count(e.num("failed")),
			zh.Count(e.num("unknown")), zh.Count(e.num("not_sent")))
	case AlreadyDone:
		return fmt.Sprintf("· %s 这份上传已经处理过（%s），不再发送；要重发请修改文件后重新上传", name, StateText(send.Status(e.str("status"))))
	case Busy:
		return "" // the resume timer met the running job: nothing to tell
	case Unknown:
		return fmt.Sprintf("? %s 一次 SendSms 请求超时，其中的号码结果未知，不会自动重发（见报告 unknown）", name)
	}
	if e.Level == "WARN" || e.Level == "ERROR" {
		msg := strings.TrimPrefix(e.Msg, "send-sms: ")
		if err := e.str("err"); err != "" {
			msg += "：" + err
		}
		mark := "!"
		if e.Level == "ERROR" {
			mark = "✘"
		}
		if name != "" {
			return mark + " " + name + " " + msg
		}
		return mark + " " + msg
	}
	return ""
}

// limitText says which limit that lifts by itself a job met.
func limitText(code string) string {
	switch {
	case code == "FailedOperation.MarketingSendTimeConstraint":
		return "营销短信只能在北京时间 08:00–22:00 发送"
	case strings.HasSuffix(code, "DailyLimit"):
		return "达到短信应用的每日发送上限（" + code + "；可在短信控制台 → 应用管理 → 基础配置中调整）"
	case strings.HasPrefix(code, "LimitExceeded."):
		return "达到发送频率限制（" + code + "）"
	}
	return "短信接口要求稍后再发（" + code + "）"
}

// clock shows a window bound ("08:00" or a duration like 8h0m0s) as HH:MM.
func clock(v any) string {
	s, _ := v.(string)
	if d, err := time.ParseDuration(s); err == nil {
		return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
	}
	if s == "" {
		return "?"
	}
	return s
}
