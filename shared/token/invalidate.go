package token

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Invalidate is called when WeChat rejected token `rejected` (40001/42001). It
// returns a token to retry with: one another instance already stored, else a
// fresh non-force one, and only if that fresh token is rejected too (or
// WeChat keeps returning the rejected one) a force_refresh, within WeChat's
// limits shared by every instance through the store.
func (s *Source) Invalidate(ctx context.Context, rejected string) (string, error) {
	v, err, _ := s.flight.Do("invalidate:"+rejected, func() (any, error) {
		now := s.opt.Now()
		if t := s.cur.Load(); t != nil && t.AccessToken != rejected && s.usable(t, now) {
			return t.AccessToken, nil
		}
		if t, err := s.readStore(ctx); err == nil && t.AccessToken != rejected && s.usable(&t, now) {
			s.cur.Store(&t)
			return t.AccessToken, nil
		}
		s.mu.Lock()
		suspect := s.suspect
		s.mu.Unlock()
		if rejected != suspect {
			t, err := s.fetchAndSave(ctx, false)
			if err != nil {
				return nil, err
			}
			if t.AccessToken != rejected {
				s.mu.Lock()
				s.suspect = t.AccessToken
				s.mu.Unlock()
				return t.AccessToken, nil
			}
		}
		t, err := s.force(ctx)
		if err != nil {
			return nil, err
		}
		return t.AccessToken, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// force calls stable_token with force_refresh, at most MaxForcePerDay times
// per Beijing day and ForceInterval apart across all instances.
func (s *Source) force(ctx context.Context) (Token, error) {
	ok, err := s.st.SetIfAbsent(ctx, s.key+"/force-lock", []byte("1"), s.opt.ForceInterval)
	if err != nil {
		return Token{}, fmt.Errorf("token: force_refresh lock: %w", err)
	}
	if !ok {
		return Token{}, fmt.Errorf("%w: another force_refresh ran less than %s ago", ErrForceLimited, s.opt.ForceInterval)
	}
	day := s.opt.Now().In(beijing).Format("20060102")
	countKey := s.key + "/force-count/" + day
	n := 0
	if b, err := s.st.Get(ctx, countKey); err == nil {
		n, _ = strconv.Atoi(string(b))
	} else if !errors.Is(err, store.ErrNotFound) {
		return Token{}, fmt.Errorf("token: force_refresh count: %w", err)
	}
	if n >= s.opt.MaxForcePerDay {
		return Token{}, fmt.Errorf("%w: %d used today (Beijing time)", ErrForceLimited, n)
	}
	// The lock above serialises writers, so read-modify-write is safe here.
	if err := s.st.Set(ctx, countKey, []byte(strconv.Itoa(n+1)), 48*time.Hour); err != nil {
		return Token{}, fmt.Errorf("token: force_refresh count: %w", err)
	}
	s.opt.Logger.WarnContext(ctx, "access token rejected twice; using force_refresh", "used_today", n+1)
	return s.fetchAndSave(ctx, true)
}

// Do calls fn with a token and, when WeChat rejects it as invalid or
// expired, retries with the token Invalidate hands out (at most twice: a
// fresh one, then a forced one).
func (s *Source) Do(ctx context.Context, fn func(accessToken string) error) error {
	tok, err := s.Token(ctx)
	if err != nil {
		return err
	}
	err = fn(tok)
	for i := 0; i < 2 && errors.Is(err, wechat.ErrTokenInvalid); i++ {
		next, ierr := s.Invalidate(ctx, tok)
		if ierr != nil {
			return errors.Join(err, ierr)
		}
		tok = next
		err = fn(tok)
	}
	return err
}

var beijing = time.FixedZone("CST", 8*3600)
