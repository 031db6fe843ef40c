package host

import (
	"context"
	"fmt"
	"time"
)

// SCF's defaults for asynchronous triggers (COS, timer, Invoke type Event).
const (
	DefaultRetries    = 2
	DefaultRetryDelay = time.Minute
)

// RetryPolicy says how an async invocation is retried after a function error,
// a timeout or a lost instance.
type RetryPolicy struct {
	// Retries after the first attempt: 0 means DefaultRetries, negative none.
	Retries int
	// Delay between attempts: 0 means DefaultRetryDelay.
	Delay time.Duration
}

func (r RetryPolicy) withDefaults() RetryPolicy {
	switch {
	case r.Retries == 0:
		r.Retries = DefaultRetries
	case r.Retries < 0:
		r.Retries = 0
	}
	if r.Delay <= 0 {
		r.Delay = DefaultRetryDelay
	}
	return r
}

// Result is the final outcome of an async invocation.
type Result struct {
	RequestID string
	Payload   []byte
	Err       error // the last attempt's error, or why retrying stopped
	Attempts  int   // invocations made, 0 if none was
}

// InvokeAsync runs the function the way SCF runs an async trigger: every
// attempt carries the same request id, a retryable failure is retried after
// retry.Delay, and the final outcome arrives on the returned channel, which is
// then closed. Ending ctx or closing the pool stops further attempts.
func (p *Pool) InvokeAsync(ctx context.Context, payload []byte, opt InvokeOptions, retry RetryPolicy) <-chan Result {
	if opt.RequestID == "" {
		opt.RequestID = newRequestID()
	}
	ch := make(chan Result, 1)
	finish := func(r Result) <-chan Result {
		ch <- r
		close(ch)
		return ch
	}
	if len(payload) > MaxAsyncPayload {
		return finish(Result{RequestID: opt.RequestID, Err: fmt.Errorf("invoke %s async: event of %d bytes exceeds %d: %w", p.cfg.Name, len(payload), MaxAsyncPayload, ErrPayloadTooLarge)})
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return finish(Result{RequestID: opt.RequestID, Err: fmt.Errorf("invoke %s async: %w", p.cfg.Name, ErrClosed)})
	}
	p.async.Add(1)
	p.mu.Unlock()
	go func() {
		defer p.async.Done()
		ch <- p.runAsync(ctx, payload, opt, retry.withDefaults())
		close(ch)
	}()
	return ch
}

func (p *Pool) runAsync(ctx context.Context, payload []byte, opt InvokeOptions, retry RetryPolicy) Result {
	res := Result{RequestID: opt.RequestID}
	log := p.log.With("request_id", opt.RequestID)
	for {
		res.Attempts++
		out, err := p.invoke(ctx, payload, opt)
		if err == nil {
			log.Info("async invocation succeeded", "attempt", res.Attempts)
			res.Payload, res.Err = out, nil
			return res
		}
		res.Err = err
		if !retryable(err) || res.Attempts > retry.Retries {
			log.Error("async invocation failed", "attempt", res.Attempts, "err", err)
			return res
		}
		log.Warn("async invocation failed, will retry", "attempt", res.Attempts, "retry_in", retry.Delay, "err", err)
		t := time.NewTimer(retry.Delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			res.Err = fmt.Errorf("invoke %s async (request %s): retry abandoned: %w (last error: %w)", p.cfg.Name, opt.RequestID, context.Cause(ctx), err)
			return res
		case <-p.closing:
			t.Stop()
			res.Err = fmt.Errorf("invoke %s async (request %s): retry abandoned: %w (last error: %w)", p.cfg.Name, opt.RequestID, ErrClosed, err)
			return res
		}
	}
}
