// Package tokenrefresh is the token-refresh function's job: on every timer
// tick make sure the shared WeChat access token has more than the margin
// left, and optionally read how many scheme opens are left today.
package tokenrefresh

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

// SchemeQuerier reads a scheme's quota; *wechat.Client implements it.
type SchemeQuerier interface {
	QueryScheme(ctx context.Context, accessToken, scheme string, queryType int) (wechat.SchemeInfo, error)
}

// Service runs one refresh per timer event. Two overlapping runs are safe:
// the token source only ever makes non-force calls here, which WeChat
// answers with the same token.
type Service struct {
	Tokens *token.Source
	WeChat SchemeQuerier
	// ProbeScheme, when set, is queried for the remaining daily open quota.
	ProbeScheme string
	// WarnBelow logs a warning when fewer opens than this are left.
	WarnBelow int
	Now       func() time.Time
	Logger    *slog.Logger
}

// Result is what the function returns (visible in the SCF console).
type Result struct {
	TokenExpiresInS  int    `json:"token_expires_in_s"`
	Refreshed        bool   `json:"refreshed"`
	RemainVisitQuota *int64 `json:"remain_visit_quota,omitempty"`
}

// Handle is the timer handler.
func (s *Service) Handle(ctx context.Context, ev scf.TimerEvent) (Result, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	t, refreshed, err := s.Tokens.Ensure(ctx)
	if err != nil {
		log.ErrorContext(ctx, "token refresh failed", "trigger", ev.TriggerName, "err", err)
		return Result{}, err
	}
	left := t.ExpiresAt.Sub(now())
	res := Result{TokenExpiresInS: int(left.Seconds()), Refreshed: refreshed}
	log.InfoContext(ctx, "access token checked", "trigger", ev.TriggerName, "refreshed", refreshed,
		"expires_in", left.Round(time.Second).String())

	if s.ProbeScheme == "" {
		return res, nil
	}
	var info wechat.SchemeInfo
	err = s.Tokens.Do(ctx, func(tok string) error {
		var qerr error
		info, qerr = s.WeChat.QueryScheme(ctx, tok, s.ProbeScheme, 1)
		return qerr
	})
	switch {
	case err == nil:
		q := info.RemainVisitQuota
		res.RemainVisitQuota = &q
		if q < int64(s.WarnBelow) {
			log.WarnContext(ctx, "scheme open quota is running low", "remain_visit_quota", q, "warn_below", s.WarnBelow)
		} else {
			log.InfoContext(ctx, "scheme open quota", "remain_visit_quota", q)
		}
	case errors.Is(err, wechat.ErrConfig), errors.Is(err, wechat.ErrSchemeNotFound):
		// A bad probe must not fail the refresh (SCF would retry it); say what to fix.
		log.ErrorContext(ctx, "quota probe failed: check QUOTA_PROBE_SCHEME", "err", err)
	default:
		log.WarnContext(ctx, "quota probe failed", "err", err)
	}
	return res, nil
}
