package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"

	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/scf/host"
)

// demoFunnel waits for the sandbox's delivery receipts to reach the inbox
// through get-scheme's callback, then runs send-sms's timer once, as its
// two-minute trigger would, and prints the campaign's funnel.
func (e *emulator) demoFunnel(ctx context.Context) {
	if e.opt.live {
		return
	}
	pool, ok := e.fns.get(fnSendSMS)
	if !ok {
		return
	}
	// The callback posts a few hundred milliseconds after each SendSms;
	// wait until the inbox stops growing.
	last, stable := -1, 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && stable < 3; {
		n := 0
		for _, err := range e.bucket.List(ctx, receipt.InboxPrefix) {
			if err != nil {
				break
			}
			n++
		}
		if n == last {
			stable++
		} else {
			last, stable = n, 0
		}
		time.Sleep(200 * time.Millisecond)
	}
	spec := timerSpecs[0]
	for _, s := range timerSpecs {
		if s.function == fnSendSMS {
			spec = s
		}
	}
	payload, _ := timerEvent(spec, time.Now())
	if _, err := pool.Invoke(ctx, payload, host.InvokeOptions{}); err != nil {
		fmt.Fprintf(e.out, "send-sms 定时器：%v\n", err)
	}
	fn, key, ok, err := readFunnel(ctx, e.bucket, demoName)
	if err != nil || !ok {
		fmt.Fprintf(e.out, "还没有漏斗（%v）；下一次定时器之后 `go run ./scripts/dev status %s` 会显示\n", err, demoName)
		return
	}
	fmt.Fprintf(e.out, "漏斗 %s\n", demoName)
	_ = zh.WriteLines(e.out, "  ", funnelLines(fn))
	fmt.Fprintf(e.out, "活动报告：%s（打开链接、跳转会实时计入，status %s 可再看）\n", filepath.Join(e.lay.bucket(), filepath.FromSlash(key)), demoName)
}
