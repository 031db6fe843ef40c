package sms

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// LimiterConfig configures a Limiter. Zero fields take the defaults noted.
type LimiterConfig struct {
	// QPS is the configured SendSms request rate (SMS_QPS); required.
	QPS float64
	// Burst is how many calls may start at once at full rate; default
	// QPS/10 (at least 1). It shrinks with the rate.
	Burst int
	// MinQPS is the floor of the slow-down; default QPS/100 (at least 1,
	// at most QPS).
	MinQPS float64
	// Decrease multiplies the rate on RequestLimitExceeded; default 0.5.
	Decrease float64
	// Recover is the share of QPS won back per RecoverEvery without
	// rate-limit errors; default 0.1.
	Recover float64
	// RecoverEvery is the recovery step; default 1 s.
	RecoverEvery time.Duration
	// Cooldown is the least time between two decreases, so that one burst
	// of errors seen by many workers counts once; default 1 s.
	Cooldown time.Duration
	// Now is the clock of the adaptation (not of the token bucket); default
	// time.Now.
	Now func() time.Time
}

// Limiter is a token bucket shared by a job's workers that slows down when
// the API answers RequestLimitExceeded (multiplicative decrease) and climbs
// back to the configured rate step by step (additive increase).
type Limiter struct {
	cfg    LimiterConfig
	bucket *rate.Limiter

	mu           sync.Mutex
	current      float64
	lastChange   time.Time // of the rate, either way
	lastDecrease time.Time
}

// NewLimiter returns a Limiter at cfg.QPS.
func NewLimiter(cfg LimiterConfig) (*Limiter, error) {
	if !(cfg.QPS > 0) || math.IsInf(cfg.QPS, 0) {
		return nil, fmt.Errorf("sms: limiter QPS %v must be a positive number (set SMS_QPS)", cfg.QPS)
	}
	if cfg.Burst <= 0 {
		cfg.Burst = max(1, int(cfg.QPS/10))
	}
	if cfg.MinQPS <= 0 {
		cfg.MinQPS = max(1, cfg.QPS/100)
	}
	cfg.MinQPS = min(cfg.MinQPS, cfg.QPS)
	if cfg.Decrease <= 0 || cfg.Decrease >= 1 {
		cfg.Decrease = 0.5
	}
	if cfg.Recover <= 0 {
		cfg.Recover = 0.1
	}
	if cfg.RecoverEvery <= 0 {
		cfg.RecoverEvery = time.Second
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{
		cfg:        cfg,
		bucket:     rate.NewLimiter(rate.Limit(cfg.QPS), cfg.Burst),
		current:    cfg.QPS,
		lastChange: cfg.Now(),
	}, nil
}

// Wait blocks until a call may start, or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	return l.bucket.Wait(ctx)
}

// Limit is the current rate in requests per second.
func (l *Limiter) Limit() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// Observe adapts the rate to the outcome of one call: RateLimited slows
// down, a success lets the rate recover; other failures say nothing about
// the rate and change nothing.
func (l *Limiter) Observe(err error) {
	switch ClassOf(err) {
	case RateLimited:
		l.slowDown()
	case OK:
		l.recover()
	}
}

func (l *Limiter) slowDown() {
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.lastDecrease.IsZero() && now.Sub(l.lastDecrease) < l.cfg.Cooldown {
		return
	}
	l.lastDecrease = now
	l.set(max(l.current*l.cfg.Decrease, l.cfg.MinQPS), now)
}

func (l *Limiter) recover() {
	now := l.cfg.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.current >= l.cfg.QPS {
		return
	}
	steps := int(now.Sub(l.lastChange) / l.cfg.RecoverEvery)
	if steps <= 0 {
		return
	}
	l.set(min(l.current+float64(steps)*l.cfg.Recover*l.cfg.QPS, l.cfg.QPS), now)
}

// set applies a new rate; the burst shrinks with it so a slowed-down
// limiter does not let a full-rate burst through after a pause.
func (l *Limiter) set(qps float64, now time.Time) {
	l.current = qps
	l.lastChange = now
	l.bucket.SetLimit(rate.Limit(qps))
	l.bucket.SetBurst(max(1, int(float64(l.cfg.Burst)*qps/l.cfg.QPS)))
}

// Throttle returns a Sender that waits for l before every call and reports
// each outcome to l. Workers of one job share l through their Throttles.
func Throttle(s Sender, l *Limiter) Sender {
	return throttled{s: s, l: l}
}

type throttled struct {
	s Sender
	l *Limiter
}

func (t throttled) Send(ctx context.Context, req Request) ([]Status, error) {
	if err := t.l.Wait(ctx); err != nil {
		return nil, &Error{Code: CodeNotSent, Class: Transient, Message: "gave up waiting for the rate limiter", Err: err}
	}
	st, err := t.s.Send(ctx, req)
	t.l.Observe(err)
	return st, err
}
