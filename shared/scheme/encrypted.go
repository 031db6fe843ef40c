package scheme

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// pollEvery is how often an instance waiting for another one's generation
// looks at the store.
const pollEvery = 25 * time.Millisecond

type filled struct {
	e      entry
	source string
}

// Kinds of generated link: a weixin:// scheme for browsers, an https URL
// Link for WeChat's own web view, which blocks schemes.
type linkKind uint8

const (
	kindScheme linkKind = iota
	kindURLLink
)

func (k linkKind) mode() string {
	if k == kindURLLink {
		return ModeURLLink
	}
	return ModeEncrypted
}

func (k linkKind) key(appID string, t link.Target) string {
	if k == kindURLLink {
		return urlLinkKey(appID, t)
	}
	return cacheKey(appID, t)
}

// encrypted serves the target's generated link from memory, the shared
// store, or a generation, one per target and kind at a time inside this
// instance. Once WeChat said the day's generation is used up, a cache miss
// is answered without calling it again (see exhaustion).
func (s *Service) encrypted(ctx context.Context, t link.Target, kind linkKind) (Result, error) {
	mk := memKey{kind, t}
	if e, ok := s.mem.get(mk); ok && e.fresh(s.opt.Now(), s.opt.Margin) {
		return s.result(e, t, kind, SourceMemory), nil
	}
	// Only a miss needs the store's name for the target.
	key := kind.key(s.opt.AppID, t)
	if _, out := s.exhaustedUntil(ctx); out {
		if e, ok := s.loadShared(ctx, key, mk); ok {
			return s.result(e, t, kind, SourceStore), nil
		}
		return s.outOfQuota(ctx, t, kind, wechat.ErrQuotaExhausted)
	}
	v, err, _ := s.flight.Do(key, func() (any, error) { return s.fill(ctx, key, mk) })
	if err == nil {
		f := v.(filled)
		return s.result(f.e, t, kind, f.source), nil
	}
	if errors.Is(err, wechat.ErrQuotaExhausted) {
		return s.outOfQuota(ctx, t, kind, err)
	}
	if errors.Is(err, wechat.ErrConfig) {
		return Result{}, fmt.Errorf("%w: %w", ErrInternal, err)
	}
	return Result{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// outOfQuota serves the plaintext scheme when the operator enabled it (it
// needs no generation); a URL Link has no plaintext form.
func (s *Service) outOfQuota(ctx context.Context, t link.Target, kind linkKind, cause error) (Result, error) {
	if s.opt.FallbackPlaintext && kind == kindScheme {
		s.log.DebugContext(ctx, "generation out of quota; serving plaintext")
		return s.plaintext(t)
	}
	return Result{}, fmt.Errorf("%w: %w", ErrQuotaExhausted, cause)
}

func (s *Service) result(e entry, t link.Target, kind linkKind, source string) Result {
	return Result{OpenLink: e.OpenLink, ExpiresAt: e.expires(), Mode: kind.mode(), Target: t, Source: source}
}

// fill runs once per target per instance at a time. Instances coordinate
// through a lock key, so across instances a target is generated once too;
// a lock holder that dies only delays the others by LockTTL.
func (s *Service) fill(ctx context.Context, key string, mk memKey) (filled, error) {
	if e, ok := s.mem.get(mk); ok && e.fresh(s.opt.Now(), s.opt.Margin) {
		return filled{e, SourceMemory}, nil
	}
	held, shared, ok := s.lockOrWait(ctx, key, mk)
	if ok {
		return filled{shared, SourceStore}, nil
	}
	if held {
		// Release at once on failure too, so another instance can try.
		defer func() { _ = s.st.Delete(context.WithoutCancel(ctx), lockKey(key)) }()
	}

	e, err := s.generate(ctx, mk.t, mk.kind)
	if errors.Is(err, wechat.ErrQuotaExhausted) {
		s.markExhausted(ctx, err)
	}
	if err != nil {
		return filled{}, err
	}
	now := s.opt.Now()
	if !e.fresh(now, s.opt.Margin) {
		return filled{}, fmt.Errorf("scheme: generated link expires %s, within the margin", e.expires().Format(time.RFC3339))
	}
	s.mem.put(mk, e, now, s.opt.Margin)
	if b, err := json.Marshal(e); err == nil {
		// The store forgets the scheme when it stops being servable.
		ttl := e.expires().Sub(now) - s.opt.Margin
		if err := s.st.Set(ctx, key, b, ttl); err != nil {
			s.log.WarnContext(ctx, "scheme cache write failed", "err", err)
		}
	}
	return filled{e, SourceGenerated}, nil
}

// loadShared reads the store; a fresh value is copied into memory.
func (s *Service) loadShared(ctx context.Context, key string, mk memKey) (entry, bool) {
	b, err := s.st.Get(ctx, key)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.WarnContext(ctx, "scheme cache read failed", "err", err)
		}
		return entry{}, false
	}
	e, ok := decodeEntry(b)
	now := s.opt.Now()
	if !ok || !e.fresh(now, s.opt.Margin) {
		return entry{}, false
	}
	s.mem.put(mk, e, now, s.opt.Margin)
	return e, true
}

// lockOrWait returns a servable scheme from the store, or takes the
// target's lock so that this instance generates it. While another instance
// holds the lock it polls, for at most LockTTL and never past the request's
// deadline; then, or when the store fails, it lets the caller generate
// without the lock (held false): a slow or dead holder must not fail
// requests, it may only cost one more generation.
func (s *Service) lockOrWait(ctx context.Context, key string, mk memKey) (held bool, e entry, ok bool) {
	lk := lockKey(key)
	stop := time.Now().Add(s.opt.LockTTL)
	for {
		if e, ok := s.loadShared(ctx, key, mk); ok {
			return false, e, true
		}
		held, err := s.st.SetIfAbsent(ctx, lk, []byte("1"), s.opt.LockTTL)
		if err != nil {
			s.log.WarnContext(ctx, "scheme lock failed", "err", err)
			return false, entry{}, false
		}
		if held {
			// Another instance may have stored the scheme and released the
			// lock between the read above and taking it.
			if e, ok := s.loadShared(ctx, key, mk); ok {
				_ = s.st.Delete(ctx, lk)
				return false, e, true
			}
			return true, entry{}, false
		}
		if !time.Now().Add(pollEvery).Before(stop) {
			return false, entry{}, false
		}
		select {
		case <-ctx.Done():
			return false, entry{}, false
		case <-time.After(pollEvery):
		}
	}
}

// generate calls generatescheme or generate_urllink through the token
// source, which retries a rejected token. WeChat's per-second limit
// (44990) is waited out with a doubling backoff while the request deadline
// leaves room for another call.
func (s *Service) generate(ctx context.Context, t link.Target, kind linkKind) (entry, error) {
	req := wechat.SchemeRequest{Path: t.Path, Query: t.Query, EnvVersion: t.EnvVersion, ExpireInterval: s.opt.TTLDays}
	budgetEnd := time.Now().Add(s.opt.BackoffBudget)
	if d, ok := ctx.Deadline(); ok {
		budgetEnd = d
	}
	// Retries end a tenth of the budget early: a retry slower than the call
	// before it is cut there, and the request still answers "rate limited"
	// in time instead of running into its own deadline.
	retryEnd := budgetEnd.Add(-time.Until(budgetEnd) / 10)
	wait := s.opt.Backoff
	var limited error
	for attempt := 1; ; attempt++ {
		var e entry
		start := time.Now()
		callCtx, cancel := ctx, context.CancelFunc(func() {})
		if limited != nil {
			callCtx, cancel = context.WithDeadline(ctx, retryEnd)
		}
		err := s.tokens.Do(callCtx, func(tok string) error {
			if kind == kindURLLink {
				l, err := s.gen.GenerateURLLink(callCtx, tok, req)
				e = entry{OpenLink: l.URL, ExpiresAt: l.ExpiresAt.Unix()}
				return err
			}
			sc, err := s.gen.GenerateScheme(callCtx, tok, req)
			e = entry{OpenLink: sc.OpenLink, ExpiresAt: sc.ExpiresAt.Unix()}
			return err
		})
		cutShort := err != nil && callCtx.Err() != nil && ctx.Err() == nil
		cancel()
		if err == nil {
			s.log.InfoContext(ctx, "link generated", "mode", kind.mode(), "path", t.Path, "env_version", t.EnvVersion,
				"attempts", attempt, "expires_at", e.ExpiresAt)
			return e, nil
		}
		if cutShort {
			return entry{}, fmt.Errorf("scheme: still rate limited after %d attempts, the last cut short: %w", attempt, limited)
		}
		if !errors.Is(err, wechat.ErrRateLimited) {
			return entry{}, err
		}
		limited = err
		// Room for the wait plus a call as long as the last one.
		if time.Now().Add(wait + time.Since(start)).After(retryEnd) {
			return entry{}, fmt.Errorf("scheme: still rate limited after %d attempts: %w", attempt, err)
		}
		s.log.WarnContext(ctx, "generation rate limited; backing off", "mode", kind.mode(), "wait_ms", wait.Milliseconds(), "attempt", attempt)
		select {
		case <-ctx.Done():
			return entry{}, errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}
