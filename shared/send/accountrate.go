package send

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
)

// SMS_QPS is the account's SendSms rate, not a job's: two campaigns at
// once, or one campaign and its resume on another instance, must share it
// or they meet RequestLimitExceeded. accountRate takes tokens from one
// bucket in the store (a Redis token bucket on the server's clock), a
// chunk of 20 ms worth at a time so that the store sees tens of calls per
// second, not thousands. Each job keeps its own adaptive limiter on top.
type accountRate struct {
	tb    store.TokenBucket
	key   string
	rate  float64
	burst int
	chunk int
	log   *slog.Logger

	mu     sync.Mutex
	avail  int
	warned bool
}

// newAccountRate returns nil (with a warning) when the store cannot share
// a bucket: each job then limits itself to SMS_QPS.
func newAccountRate(st store.Store, qps int, log *slog.Logger) *accountRate {
	tb, ok := store.AsTokenBucket(st)
	if !ok {
		log.Warn("send-sms: this store cannot share the SendSms rate between jobs; each job keeps to SMS_QPS alone, so two campaigns at once may meet RequestLimitExceeded (use a redis:// STORE_URL to share it)")
		return nil
	}
	// The API counts requests per wall-clock second: the rate is 2 % under
	// it and the burst (one chunk) is those 2 %, so no second can hold
	// more than SMS_QPS calls even when the bucket starts full.
	rate := float64(qps) * 0.98
	chunk := max(1, qps/50)
	return &accountRate{tb: tb, key: "send/rate/account", rate: rate, burst: chunk, chunk: chunk, log: log}
}

// wait blocks until the account may make one more call. A store error
// lets the call go (the job's own limiter still holds it to SMS_QPS) and
// is logged once.
func (a *accountRate) wait(ctx context.Context) error {
	for {
		a.mu.Lock()
		if a.avail > 0 {
			a.avail--
			a.mu.Unlock()
			return nil
		}
		n, err := a.tb.TakeTokens(ctx, a.key, a.chunk, a.rate, a.burst)
		if err != nil {
			if !a.warned {
				a.warned = true
				a.log.Warn("send-sms: the shared SendSms rate is unavailable; this job keeps to SMS_QPS alone meanwhile", "err", err)
			}
			a.mu.Unlock()
			return ctx.Err()
		}
		if n > 0 {
			a.avail = n - 1
			a.mu.Unlock()
			return nil
		}
		a.mu.Unlock()
		// A quarter chunk: short enough not to leave tokens unused, long
		// enough to keep the store calls few.
		t := time.NewTimer(time.Duration(float64(a.chunk) / a.rate / 4 * float64(time.Second)))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// accountThrottled waits for the account's rate before every call.
type accountThrottled struct {
	s sms.Sender
	a *accountRate
}

func (t accountThrottled) Send(ctx context.Context, req sms.Request) ([]sms.Status, error) {
	if err := t.a.wait(ctx); err != nil {
		return nil, &sms.Error{Code: sms.CodeNotSent, Class: sms.Transient, Message: "gave up waiting for the account's rate", Err: err}
	}
	return t.s.Send(ctx, req)
}
