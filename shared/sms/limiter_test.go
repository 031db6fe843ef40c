package sms

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var errRateLimited = tcerr.NewTencentCloudSDKError("RequestLimitExceeded", "too fast", "r")

func TestLimiterAdapts(t *testing.T) {
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	l, err := NewLimiter(LimiterConfig{QPS: 1000, MinQPS: 100, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		advance time.Duration
		outcome error
		want    float64
	}{
		{"starts at the configured rate", 0, nil, 1000},
		{"rate limited: halve", 0, errRateLimited, 500},
		{"more of the same burst: no further cut", 500 * time.Millisecond, errRateLimited, 500},
		{"a transient error says nothing about rate", 0, &Error{Class: Transient}, 500},
		{"a success too soon: no recovery yet", 400 * time.Millisecond, nil, 500},
		{"after the cooldown: halve again", 200 * time.Millisecond, errRateLimited, 250},
		{"again", time.Second, errRateLimited, 125},
		{"floor", time.Second, errRateLimited, 100},
		{"floor holds", time.Second, errRateLimited, 100},
		{"one recovery step: +10% of QPS", time.Second, nil, 200},
		{"half a step: nothing", 500 * time.Millisecond, nil, 200},
		{"three steps at once after a pause", 3 * time.Second, nil, 500},
		{"capped at the configured rate", 10 * time.Second, nil, 1000},
		{"stays there", time.Second, nil, 1000},
	}
	for _, s := range steps {
		clk.Advance(s.advance)
		l.Observe(s.outcome)
		if got := l.Limit(); math.Abs(got-s.want) > 1e-9 {
			t.Fatalf("%s: Limit = %v, want %v", s.name, got, s.want)
		}
		if got := float64(l.bucket.Limit()); math.Abs(got-s.want) > 1e-9 {
			t.Fatalf("%s: token bucket at %v, want %v", s.name, got, s.want)
		}
	}
}

func TestLimiterBurstShrinks(t *testing.T) {
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	l, _ := NewLimiter(LimiterConfig{QPS: 1000, Now: clk.Now})
	if got := l.bucket.Burst(); got != 100 {
		t.Fatalf("burst %d, want QPS/10", got)
	}
	l.Observe(errRateLimited)
	if got := l.bucket.Burst(); got != 50 {
		t.Fatalf("burst after halving %d, want 50", got)
	}
}

func TestNewLimiterRejectsBadQPS(t *testing.T) {
	for _, q := range []float64{0, -1} {
		if _, err := NewLimiter(LimiterConfig{QPS: q}); err == nil {
			t.Errorf("QPS %v accepted", q)
		}
	}
}

// fakeSender records calls and answers with a scripted error.
type fakeSender struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (f *fakeSender) Send(ctx context.Context, req Request) ([]Status, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	out := make([]Status, len(req.Phones))
	for i, p := range req.Phones {
		out[i] = Status{Phone: p, Code: CodeOK}
	}
	return out, nil
}

func TestThrottle(t *testing.T) {
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	l, _ := NewLimiter(LimiterConfig{QPS: 1000, Now: clk.Now})
	f := &fakeSender{err: errRateLimited}
	s := Throttle(f, l)
	if _, err := s.Send(context.Background(), validRequest()); ClassOf(err) != RateLimited {
		t.Fatalf("err %v", err)
	}
	if l.Limit() != 500 {
		t.Fatalf("the limiter did not see the rate-limit error: %v", l.Limit())
	}

	// A context that ends while waiting for a token: nothing was sent.
	slow, _ := NewLimiter(LimiterConfig{QPS: 1, Burst: 1})
	s = Throttle(&fakeSender{}, slow)
	if _, err := s.Send(context.Background(), validRequest()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Send(ctx, validRequest())
	if ClassOf(err) != Transient || CodeOf(err) != CodeNotSent || !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v (class %v)", err, ClassOf(err))
	}
}
