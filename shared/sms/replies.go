package sms

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// MaxPullReplies is PullSmsReplyStatus's largest Limit.
const MaxPullReplies = 100

// Reply is one recipient's answer to a message (上行).
type Reply struct {
	Phone      string // E.164
	Text       string
	Time       time.Time
	SignName   string
	ExtendCode string
}

// ReplyPuller takes replies off the account's queue.
type ReplyPuller interface {
	PullReplies(ctx context.Context, sdkAppID string, limit int) ([]Reply, error)
}

var _ ReplyPuller = (*Tencent)(nil)

// PullReplies takes up to limit (1–100) replies off the SMS app's queue
// (PullSmsReplyStatus). The queue gives each reply once: a call that fails
// after the platform answered may lose replies, so callers pull on a timer
// and also accept the reply callback. The API must be enabled by Tencent
// support; until it is, calls fail with an error whose Hint says so.
func (t *Tencent) PullReplies(ctx context.Context, sdkAppID string, limit int) ([]Reply, error) {
	limit = min(max(limit, 1), MaxPullReplies)
	var resp pullReplyStatusReply
	err := t.call(ctx, "PullSmsReplyStatus", pullRequest{Limit: uint64(limit), SmsSdkAppID: sdkAppID}, &resp)
	if err != nil {
		return nil, t.pullError(err, sdkAppID, "PullSmsReplyStatus 需要联系腾讯云短信小助手开通；也可以在短信控制台「应用管理 → 基础配置 → 事件回调配置」配置回复回调")
	}
	if resp.Response == nil {
		return nil, nil
	}
	out := make([]Reply, 0, len(resp.Response.PullSmsReplyStatusSet))
	for _, x := range resp.Response.PullSmsReplyStatusSet {
		if x == nil {
			continue
		}
		rep := Reply{
			Phone: ptrVal(x.PhoneNumber), Text: ptrVal(x.ReplyContent),
			SignName: ptrVal(x.SignName), ExtendCode: ptrVal(x.ExtendCode),
		}
		if rep.Phone == "" && x.SubscriberNumber != nil {
			rep.Phone = "+" + strings.TrimPrefix(ptrVal(x.CountryCode), "+") + *x.SubscriberNumber
		}
		if x.ReplyTime != nil {
			rep.Time = time.Unix(int64(*x.ReplyTime), 0)
		}
		out = append(out, rep)
	}
	t.log.DebugContext(ctx, "sms: PullSmsReplyStatus", slog.Int("replies", len(out)),
		slog.String("request_id", ptrVal(resp.Response.RequestID)))
	return out, nil
}

// pullError is a failed pull's error. Retrying a pull is safe (it sends
// nothing): wrote=false keeps a network failure Transient rather than
// "maybe sent". A Fatal answer the platform gave no hint for is most often
// the API not being enabled, which hint tells the operator how to fix.
func (t *Tencent) pullError(err error, sdkAppID, hint string) *Error {
	e := t.callError(err, Request{SdkAppID: sdkAppID}, false)
	if e.Hint == "" && e.Class == Fatal {
		e.Hint = hint
	}
	return e
}
