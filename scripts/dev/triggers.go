package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/scf/host"
)

// triggers turn bucket objects and timer ticks into asynchronous invocations
// retried as SCF retries them, and let the demo wait for the outcome.
type triggers struct {
	fns   *functions
	retry host.RetryPolicy
	gate  *liveGate // nil outside --live
	// beforeSend, when set, runs before send-sms gets a CSV's event (the
	// sandbox approves the template of the manifest beside it).
	beforeSend func(csvKey string)
	out        io.Writer
	log        *slog.Logger

	mu      sync.Mutex
	waiters map[string][]chan host.Result // by object key
	wg      sync.WaitGroup
}

func newTriggers(fns *functions, retryDelay time.Duration, gate *liveGate, out io.Writer, log *slog.Logger) *triggers {
	return &triggers{
		fns:     fns,
		retry:   host.RetryPolicy{Retries: host.DefaultRetries, Delay: retryDelay},
		gate:    gate,
		out:     out,
		log:     log,
		waiters: map[string][]chan host.Result{},
	}
}

// await returns a channel that receives the final result of the next
// invocation for key. Register before the object appears.
func (t *triggers) await(key string) <-chan host.Result {
	ch := make(chan host.Result, 1)
	t.mu.Lock()
	t.waiters[key] = append(t.waiters[key], ch)
	t.mu.Unlock()
	return ch
}

func (t *triggers) notify(key string, r host.Result) {
	t.mu.Lock()
	ws := t.waiters[key]
	delete(t.waiters, key)
	t.mu.Unlock()
	for _, ch := range ws {
		ch <- r
	}
}

// object fires send-sms's COS trigger for a created object.
func (t *triggers) object(ctx context.Context, obj cosObject) {
	pool, ok := t.fns.get(fnSendSMS)
	if !ok {
		fmt.Fprintf(t.out, "upload %s: send-sms is not built (functions/send-sms missing); nothing runs\n", obj.key)
		t.notify(obj.key, host.Result{Err: fmt.Errorf("send-sms is not built")})
		return
	}
	if !t.gate.allow(ctx, "send-sms for "+obj.key) {
		fmt.Fprintf(t.out, "upload %s: not sent (not confirmed)\n", obj.key)
		t.notify(obj.key, host.Result{Err: errNotConfirmed})
		return
	}
	if t.beforeSend != nil {
		t.beforeSend(obj.key)
	}
	payload, err := cosEvent(obj)
	if err != nil {
		t.log.Error("encode COS event", "key", obj.key, "err", err)
		return
	}
	fmt.Fprintf(t.out, "upload %s (%d bytes): COS event → send-sms (request %s)\n", obj.key, obj.size, obj.reqID)
	t.dispatch(ctx, pool, payload, obj.reqID, "send-sms "+obj.key, obj.key)
}

// tick fires a timer trigger.
func (t *triggers) tick(ctx context.Context, spec timerSpec, at time.Time) {
	pool, ok := t.fns.get(spec.function)
	if !ok {
		return
	}
	if spec.function == fnSendSMS && !t.gate.allowed() {
		// Live and not confirmed yet: a resume must not be the first real SMS.
		return
	}
	payload, err := timerEvent(spec, at)
	if err != nil {
		t.log.Error("encode timer event", "trigger", spec.name, "err", err)
		return
	}
	t.dispatch(ctx, pool, payload, "", "timer "+spec.name, "")
}

func (t *triggers) dispatch(ctx context.Context, pool *host.Pool, payload []byte, reqID, what, key string) {
	ch := pool.InvokeAsync(ctx, payload, host.InvokeOptions{RequestID: reqID}, t.retry)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		r := <-ch
		if r.Err != nil {
			fmt.Fprintf(t.out, "%s: failed after %d attempt(s): %v\n", what, r.Attempts, r.Err)
		} else {
			t.log.Info("async invocation done", "what", what, "attempts", r.Attempts, "result", truncate(string(r.Payload), 300))
		}
		if key != "" {
			t.notify(key, r)
		}
	}()
}

// wait blocks until every dispatched invocation has reported.
func (t *triggers) wait() { t.wg.Wait() }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
