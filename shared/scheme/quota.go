package scheme

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// beijing is UTC+8 without DST: WeChat's daily quotas reset at its midnight.
var beijing = time.FixedZone("CST", 8*3600)

// nextBeijingMidnight is when a daily quota used up at now comes back.
func nextBeijingMidnight(now time.Time) time.Time {
	b := now.In(beijing)
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, beijing)
}

// exhaustion remembers that WeChat refused to generate for the day
// (44993/45009 daily generation quota, 85406 daily opens): in this
// instance's memory and in the store for every other instance, until
// Beijing midnight. Until then a tap that misses the cache costs no WeChat
// call. 44990 (per second) is not remembered: it passes within the request
// (see generate).
type exhaustion struct {
	until atomic.Int64 // unix seconds; this instance's copy
}

func exhaustionKey(appID string) string { return "quota/v1/generation/" + appID }

// exhaustedUntil reports when generation comes back, if it is out now.
func (s *Service) exhaustedUntil(ctx context.Context) (time.Time, bool) {
	now := s.opt.Now()
	if u := s.exhausted.until.Load(); u > now.Unix() {
		return time.Unix(u, 0), true
	}
	b, err := s.st.Get(ctx, exhaustionKey(s.opt.AppID))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			// Unknown: try WeChat, which answers the truth.
			s.log.WarnContext(ctx, "quota flag read failed", "err", err)
		}
		return time.Time{}, false
	}
	u, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || u <= now.Unix() {
		return time.Time{}, false
	}
	s.exhausted.until.Store(u)
	return time.Unix(u, 0), true
}

// markExhausted records WeChat's refusal until Beijing midnight.
func (s *Service) markExhausted(ctx context.Context, cause error) time.Time {
	now := s.opt.Now()
	until := nextBeijingMidnight(now)
	s.exhausted.until.Store(until.Unix())
	err := s.st.Set(context.WithoutCancel(ctx), exhaustionKey(s.opt.AppID), []byte(strconv.FormatInt(until.Unix(), 10)), until.Sub(now))
	s.log.WarnContext(ctx, "WeChat generation quota exhausted; no more generation until Beijing midnight",
		"until", until.Format(time.RFC3339), "cause", cause.Error(), "store_err", errString(err))
	return until
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
