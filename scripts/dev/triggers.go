package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
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
	// describe, when set, tells the operator what a CSV's job will send and
	// cost, for the --live confirmation.
	describe func(csvKey string) (details string, paid bool)
	// onUpload, when set, runs before send-sms gets an uploads/ CSV (a new
	// sample of printed SMS starts).
	onUpload func(csvKey string)
	// onResult, when set, sees every invocation's final result before
	// whoever awaits it (the job summary comes before the demo's last lines).
	onResult func(ctx context.Context, fn string, r host.Result)
	out      io.Writer
	log      *slog.Logger

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
		fmt.Fprintf(t.out, "上传 %s：send-sms 没有编译（缺少 functions/send-sms），不会发送\n", obj.key)
		t.notify(obj.key, host.Result{Err: fmt.Errorf("send-sms is not built")})
		return
	}
	// Only uploads/ sends SMS; suppress/ and unsuppress/ lists never do.
	sends := strings.HasPrefix(obj.key, "uploads/")
	details, paid := "任务 "+obj.key, sends
	if sends && t.describe != nil && t.gate != nil {
		details, paid = t.describe(obj.key)
		if !paid {
			// A dry run sends nothing: show what it would, do not ask.
			fmt.Fprint(t.out, details)
		}
	}
	if paid && !t.gate.allow(ctx, details) {
		fmt.Fprintf(t.out, "上传 %s：未确认，不发送（要发送请重新上传）\n", obj.key)
		t.notify(obj.key, host.Result{Err: errNotConfirmed})
		return
	}
	if t.beforeSend != nil {
		t.beforeSend(obj.key)
	}
	if sends && t.onUpload != nil {
		t.onUpload(obj.key)
	}
	payload, err := cosEvent(obj)
	if err != nil {
		t.log.Error("encode COS event", "key", obj.key, "err", err)
		return
	}
	fmt.Fprintf(t.out, "上传 %s（%s）：COS 事件 → send-sms（请求 %s）\n", obj.key, zh.Bytes(obj.size), obj.reqID)
	t.dispatch(ctx, pool, fnSendSMS, payload, obj.reqID, "send-sms "+obj.key, obj.key)
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
	t.dispatch(ctx, pool, spec.function, payload, "", "timer "+spec.name, "")
}

func (t *triggers) dispatch(ctx context.Context, pool *host.Pool, fn string, payload []byte, reqID, what, key string) {
	ch := pool.InvokeAsync(ctx, payload, host.InvokeOptions{RequestID: reqID}, t.retry)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		r := <-ch
		switch {
		case r.Err != nil && ctx.Err() != nil && fn == fnSendSMS:
			fmt.Fprintf(t.out, "%s：模拟器停止，调用被中断；下次启动后定时器会从检查点继续（中断时在途的少量号码可能再发一次，报告中会标出）\n", what)
		case r.Err != nil && ctx.Err() != nil:
			fmt.Fprintf(t.out, "%s：模拟器停止，调用被中断\n", what)
		case r.Err != nil:
			fmt.Fprintf(t.out, "%s：尝试 %d 次后仍失败：%v\n", what, r.Attempts, r.Err)
		default:
			t.log.Info("async invocation done", "what", what, "attempts", r.Attempts, "result", truncate(string(r.Payload), 300))
		}
		if t.onResult != nil {
			t.onResult(ctx, fn, r)
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
