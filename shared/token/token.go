// Package token keeps the WeChat access token that every function shares.
// Like oauth2.ReuseTokenSource it stacks small layers: an in-memory copy for
// the hot path, the shared store so instances agree on one token, and
// WeChat's cgi-bin/stable_token behind a single flight.
package token

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Fetcher gets a token from WeChat; *wechat.Client implements it.
type Fetcher interface {
	StableToken(ctx context.Context, forceRefresh bool) (wechat.Token, error)
}

// Token is an access token and what the source knows about it.
type Token struct {
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
	// NextCheck is set when WeChat handed out a token with less than the
	// margin left (it rolls tokens over only in their last 5 minutes): the
	// token is used as is and WeChat is asked again no earlier than this.
	NextCheck time.Time `json:"next_check,omitzero"`
}

// Options tune a Source. Zero values take the defaults.
type Options struct {
	// AppID namespaces the store keys so several mini-programs can share a store.
	AppID string
	// Margin: refresh when less than this is left (TOKEN_REFRESH_MARGIN, default 10m).
	Margin time.Duration
	// MaxForcePerDay and ForceInterval mirror WeChat's limits on
	// force_refresh (20 a day, 30 s apart).
	MaxForcePerDay int
	ForceInterval  time.Duration
	Now            func() time.Time
	Logger         *slog.Logger
}

const (
	// minUsable: a token with less left is never handed out.
	minUsable = 30 * time.Second
	// recheck is how long a token below the margin is used before asking again.
	recheck = time.Minute
)

// ErrForceLimited means the token was rejected but force_refresh may not be
// used now (WeChat allows 20 a day, 30 s apart).
var ErrForceLimited = errors.New("token: force_refresh limit reached")

// Source is safe for concurrent use.
type Source struct {
	fetch Fetcher
	st    store.Store
	opt   Options
	key   string

	cur     atomic.Pointer[Token]
	flight  singleflight.Group
	mu      sync.Mutex
	suspect string // a token fetched after a rejection; if it is rejected too, force
}

// New returns a Source over a WeChat fetcher and a shared store.
func New(f Fetcher, st store.Store, opt Options) *Source {
	if opt.Margin <= 0 {
		opt.Margin = 10 * time.Minute
	}
	if opt.MaxForcePerDay <= 0 {
		opt.MaxForcePerDay = 20
	}
	if opt.ForceInterval <= 0 {
		opt.ForceInterval = 30 * time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Source{fetch: f, st: st, opt: opt, key: "wechat/token/" + opt.AppID}
}

// usable reports whether t may be handed out at now without asking anyone.
func (s *Source) usable(t *Token, now time.Time) bool {
	left := t.ExpiresAt.Sub(now)
	return left > s.opt.Margin || (left > minUsable && now.Before(t.NextCheck))
}

// Token returns a valid access token. The cached path does not allocate.
func (s *Source) Token(ctx context.Context) (string, error) {
	if t := s.cur.Load(); t != nil && s.usable(t, s.opt.Now()) {
		return t.AccessToken, nil
	}
	t, _, err := s.load(ctx)
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// Ensure makes sure the shared store holds a token with more than the margin
// left (refreshing it otherwise) and reports whether WeChat was called. It
// ignores the in-memory copy: token-refresh runs it on a timer for everyone.
func (s *Source) Ensure(ctx context.Context) (Token, bool, error) {
	return s.load(ctx)
}

type loaded struct {
	t       Token
	fetched bool
}

// load consults the store and then WeChat, once per process at a time.
func (s *Source) load(ctx context.Context) (Token, bool, error) {
	v, err, _ := s.flight.Do("load", func() (any, error) {
		now := s.opt.Now()
		if t, err := s.readStore(ctx); err == nil && s.usable(&t, now) {
			s.cur.Store(&t)
			return loaded{t: t}, nil
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			// A broken store must not stop the service: WeChat's non-force
			// call is safe to repeat, so fall through to it.
			s.opt.Logger.WarnContext(ctx, "token store read failed", "err", err)
		}
		t, err := s.fetchAndSave(ctx, false)
		if err != nil {
			return nil, err
		}
		return loaded{t: t, fetched: true}, nil
	})
	if err != nil {
		return Token{}, false, err
	}
	l := v.(loaded)
	return l.t, l.fetched, nil
}

func (s *Source) fetchAndSave(ctx context.Context, force bool) (Token, error) {
	start := s.opt.Now()
	wt, err := s.fetch.StableToken(ctx, force)
	if err != nil {
		return Token{}, fmt.Errorf("token: stable_token (force_refresh=%t): %w", force, err)
	}
	t := Token{AccessToken: wt.AccessToken, ExpiresAt: wt.ExpiresAt}
	if t.ExpiresAt.Sub(start) <= s.opt.Margin {
		t.NextCheck = start.Add(recheck)
	}
	s.cur.Store(&t)
	if err := s.writeStore(ctx, t); err != nil {
		s.opt.Logger.WarnContext(ctx, "token store write failed", "err", err)
	}
	s.opt.Logger.InfoContext(ctx, "access token fetched", "force_refresh", force,
		"expires_in_s", int(t.ExpiresAt.Sub(start).Seconds()))
	return t, nil
}

func (s *Source) readStore(ctx context.Context) (Token, error) {
	b, err := s.st.Get(ctx, s.key)
	if err != nil {
		return Token{}, err
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		return Token{}, fmt.Errorf("token: stored value: %w", err)
	}
	return t, nil
}

func (s *Source) writeStore(ctx context.Context, t Token) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	ttl := t.ExpiresAt.Sub(s.opt.Now())
	if ttl <= 0 {
		return nil
	}
	return s.st.Set(ctx, s.key, b, ttl)
}
