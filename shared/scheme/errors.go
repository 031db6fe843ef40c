package scheme

import (
	"errors"
	"net/http"
)

// Kind is an error kind of the get-scheme API: the "error" field of a JSON
// error answer, its HTTP status and the message the page may show.
type Kind struct {
	Name    string
	Status  int
	Message string
}

func (k *Kind) Error() string { return "scheme: " + k.Name }

// Error kinds; Open's errors wrap exactly one of them (see KindOf).
var (
	ErrBadRequest       = &Kind{"bad_request", http.StatusBadRequest, "链接不完整，请从短信中重新打开。"}
	ErrInvalidLink      = &Kind{"invalid_link", http.StatusNotFound, "链接无效或已过期，请确认短信中的链接。"}
	ErrNotFound         = &Kind{"not_found", http.StatusNotFound, "活动不存在，请确认链接是否正确。"}
	ErrNotStarted       = &Kind{"not_started", http.StatusGone, "活动尚未开始，请在活动开始后再打开。"}
	ErrEnded            = &Kind{"ended", http.StatusGone, "活动已结束，感谢关注。"}
	ErrRateLimited      = &Kind{"rate_limited", http.StatusTooManyRequests, "请求过于频繁，请稍后再试。"}
	ErrQuotaExhausted   = &Kind{"quota_exhausted", http.StatusServiceUnavailable, "今日打开人数已达微信上限，请明天再试。"}
	ErrUnavailable      = &Kind{"unavailable", http.StatusServiceUnavailable, "服务繁忙，请稍后再试。"}
	ErrInternal         = &Kind{"internal", http.StatusInternalServerError, "服务出错了，请稍后再试。"}
	ErrMethodNotAllowed = &Kind{"method_not_allowed", http.StatusMethodNotAllowed, "不支持的请求方式。"}
	ErrForbiddenOrigin  = &Kind{"forbidden_origin", http.StatusForbidden, "不允许从此网页调用。"}
)

// KindOf returns the kind err wraps, ErrInternal when it wraps none.
func KindOf(err error) *Kind {
	var k *Kind
	if errors.As(err, &k) {
		return k
	}
	return ErrInternal
}
