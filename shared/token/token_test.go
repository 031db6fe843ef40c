package token

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// clock is a settable clock shared by the sandbox and the source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	wx    *wxapi.Server
	wc    *wechat.Client
	st    store.Store
	clock *clock
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}
	wx, err := wxapi.Start(wxapi.Options{AppID: "wxtest", Secret: "sec", Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	st, err := store.Open(context.Background(), "mem://", store.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wc := wechat.New(wx.URL(), "wxtest", "sec", nil)
	wc.Now = c.Now
	return &harness{wx: wx, wc: wc, st: st, clock: c}
}

func (h *harness) source() *Source {
	return New(h.wc, h.st, Options{AppID: "wxtest", Now: h.clock.Now})
}

func (h *harness) generate(ctx context.Context, tok string) error {
	_, err := h.wc.GenerateScheme(ctx, tok, wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 30})
	return err
}

func TestConcurrentColdStartMakesOneCall(t *testing.T) {
	h := newHarness(t)
	src := h.source()
	var wg sync.WaitGroup
	var failures atomic.Int32
	tokens := make([]string, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := src.Token(context.Background())
			if err != nil {
				failures.Add(1)
			}
			tokens[i] = tok
		}()
	}
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d goroutines failed", failures.Load())
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 1 {
		t.Fatalf("stable_token calls = %d, want 1", got)
	}
	for _, tok := range tokens {
		if tok != tokens[0] || tok == "" {
			t.Fatalf("goroutines got different tokens: %q vs %q", tok, tokens[0])
		}
	}
}

func TestCachedAndSharedThroughStore(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a, b := h.source(), h.source() // two instances sharing a store
	ta, err := a.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Add(30 * time.Minute)
	for range 10 {
		if _, err := a.Token(ctx); err != nil {
			t.Fatal(err)
		}
	}
	tb, err := b.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ta != tb {
		t.Fatalf("instances disagree: %q vs %q", ta, tb)
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 1 {
		t.Fatalf("stable_token calls = %d, want 1", got)
	}
}

func TestRefreshNearExpiryWithoutHammering(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := h.source()
	first, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 8 minutes left: below the 10-minute margin, but WeChat only rolls
	// tokens over in their last 5 minutes, so it hands back the same one.
	h.clock.Add(7200*time.Second - 8*time.Minute)
	for range 50 {
		tok, err := src.Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if tok != first {
			t.Fatalf("token changed before WeChat rolled it over")
		}
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 2 {
		t.Fatalf("stable_token calls = %d, want 2 (one fetch, one recheck below the margin)", got)
	}
	// 4 minutes left: a recheck is due and WeChat now issues the next token.
	h.clock.Add(4 * time.Minute)
	next, err := src.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next == first {
		t.Fatalf("no new token in the last 5 minutes")
	}
	if err := h.generate(ctx, next); err != nil {
		t.Fatalf("new token rejected: %v", err)
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 3 {
		t.Fatalf("stable_token calls = %d, want 3", got)
	}
}

func TestRecoversFromForceRefreshElsewhereWithOneNonForceCall(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := h.source()
	if _, err := src.Token(ctx); err != nil {
		t.Fatal(err)
	}
	h.wx.ForceRefreshFromElsewhere()
	h.wx.ResetCalls()
	if err := src.Do(ctx, func(tok string) error { return h.generate(ctx, tok) }); err != nil {
		t.Fatalf("Do did not recover: %v", err)
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 1 {
		t.Fatalf("stable_token calls = %d, want exactly 1 non-force call", got)
	}
	if got := h.wx.Calls(wxapi.PathGenerateScheme); got != 2 {
		t.Fatalf("generatescheme calls = %d, want 2 (rejected, then ok)", got)
	}
	// The stored token is the new one: another instance needs no call.
	h.wx.ResetCalls()
	other := h.source()
	if err := other.Do(ctx, func(tok string) error { return h.generate(ctx, tok) }); err != nil {
		t.Fatal(err)
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 0 {
		t.Fatalf("second instance made %d stable_token calls, want 0", got)
	}
}

func TestForceOnlyWhenFreshTokenIsRejectedAndWithinLimits(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := h.source()
	if _, err := src.Token(ctx); err != nil {
		t.Fatal(err)
	}
	// WeChat rejects the current token although stable_token keeps handing it
	// out: only force_refresh can help.
	h.wx.Inject(wxapi.PathGenerateScheme, 40001, 1)
	if err := src.Do(ctx, func(tok string) error { return h.generate(ctx, tok) }); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if got := h.wx.Calls(wxapi.PathStableToken); got != 3 {
		t.Fatalf("stable_token calls = %d, want 3 (initial, non-force, force)", got)
	}
	// Again within 30 s: force is refused instead of burning WeChat's limit.
	h.clock.Add(10 * time.Second)
	h.wx.Inject(wxapi.PathGenerateScheme, 40001, 1)
	err := src.Do(ctx, func(tok string) error { return h.generate(ctx, tok) })
	if !errors.Is(err, ErrForceLimited) || !errors.Is(err, wechat.ErrTokenInvalid) {
		t.Fatalf("want ErrForceLimited joined with the rejection, got %v", err)
	}
}

func TestDailyForceBudget(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := New(h.wc, h.st, Options{AppID: "wxtest", Now: h.clock.Now, MaxForcePerDay: 2})
	for i := range 3 {
		h.clock.Add(31 * time.Second)
		_, err := src.force(ctx)
		if i < 2 && err != nil {
			t.Fatalf("force %d: %v", i+1, err)
		}
		if i == 2 && !errors.Is(err, ErrForceLimited) {
			t.Fatalf("force 3: want ErrForceLimited, got %v", err)
		}
	}
}

func TestEnsureReportsRefresh(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	src := h.source()
	tok, refreshed, err := src.Ensure(ctx)
	if err != nil || !refreshed || tok.AccessToken == "" {
		t.Fatalf("first Ensure: %v refreshed=%v", err, refreshed)
	}
	_, refreshed, err = src.Ensure(ctx)
	if err != nil || refreshed {
		t.Fatalf("second Ensure: %v refreshed=%v", err, refreshed)
	}
}

func TestErrorsAreWrapped(t *testing.T) {
	h := newHarness(t)
	h.wx.Inject(wxapi.PathStableToken, 40164, 1)
	_, err := h.source().Token(context.Background())
	if !errors.Is(err, wechat.ErrConfig) {
		t.Fatalf("want ErrConfig, got %v", err)
	}
}

// warmSource returns a source whose token is already in memory.
func warmSource(b *testing.B) *Source {
	wx, err := wxapi.Start(wxapi.Options{AppID: "wxtest", Secret: "sec"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { wx.Close() })
	st, _ := store.Open(context.Background(), "mem://")
	src := New(wechat.New(wx.URL(), "wxtest", "sec", nil), st, Options{AppID: "wxtest", Logger: slog.New(slog.DiscardHandler)})
	if _, err := src.Token(context.Background()); err != nil {
		b.Fatal(err)
	}
	return src
}

func BenchmarkTokenCached(b *testing.B) {
	src, ctx := warmSource(b), context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := src.Token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkTokenCachedSerial(b *testing.B) {
	src, ctx := warmSource(b), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := src.Token(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
