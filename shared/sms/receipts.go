package sms

import (
	"context"
	"log/slog"
	"time"
)

// MaxPullStatuses is PullSmsSendStatus's largest Limit.
const MaxPullStatuses = 100

// Delivery is one delivery receipt (状态回执). The phone number in the
// platform's answer is left out: SerialNo is what matches a receipt to a row,
// and a number kept here could only end up in a log.
type Delivery struct {
	SerialNo  string
	Delivered bool   // ReportStatus SUCCESS
	Detail    string // the carrier's status, e.g. DELIVRD, UNDELIV
	Received  time.Time
}

// StatusPuller takes delivery receipts off the account's queue.
type StatusPuller interface {
	PullStatuses(ctx context.Context, sdkAppID string, limit int) ([]Delivery, error)
}

var _ StatusPuller = (*Tencent)(nil)

// PullStatuses takes up to limit (1–100) receipts off the SMS app's queue
// (PullSmsSendStatus). The queue gives each receipt once: callers store
// what they pulled before doing anything else with it. The API must be
// enabled by Tencent support; until it is, calls fail with a Fatal error
// whose Hint says so.
func (t *Tencent) PullStatuses(ctx context.Context, sdkAppID string, limit int) ([]Delivery, error) {
	limit = min(max(limit, 1), MaxPullStatuses)
	var resp pullSendStatusReply
	err := t.call(ctx, "PullSmsSendStatus", pullRequest{Limit: uint64(limit), SmsSdkAppID: sdkAppID}, &resp)
	if err != nil {
		return nil, t.pullError(err, sdkAppID, "PullSmsSendStatus 需要联系腾讯云短信小助手开通；也可以在短信控制台「应用管理 → 基础配置 → 事件回调配置」配置短信状态回调，并设置 CALLBACK_TOKEN")
	}
	if resp.Response == nil {
		return nil, nil
	}
	out := make([]Delivery, 0, len(resp.Response.PullSmsSendStatusSet))
	for _, x := range resp.Response.PullSmsSendStatusSet {
		if x == nil || ptrVal(x.SerialNo) == "" {
			continue
		}
		d := Delivery{SerialNo: *x.SerialNo, Delivered: ptrVal(x.ReportStatus) == "SUCCESS", Detail: ptrVal(x.Description)}
		if x.UserReceiveTime != nil {
			d.Received = time.Unix(int64(*x.UserReceiveTime), 0)
		}
		out = append(out, d)
	}
	t.log.DebugContext(ctx, "sms: PullSmsSendStatus", slog.Int("receipts", len(out)),
		slog.String("request_id", ptrVal(resp.Response.RequestID)))
	return out, nil
}
