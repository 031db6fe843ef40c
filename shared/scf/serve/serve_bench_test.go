package serve

import (
	"bytes"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// BenchmarkServeInvoke is one Function.Invoke through Serve over loopback
// from net/rpc's client, the runtime's: both ends in this process, so
// cpu-ns/op (getrusage) is the protocol's whole cost, client included.
func BenchmarkServeInvoke(b *testing.B) {
	c := listen(b, func(ln net.Listener) { Serve(ln, echo{}) })
	req := &messages.InvokeRequest{Payload: bytes.Repeat([]byte(`{"k":"v"},`), 50), RequestId: "rid",
		FunctionName: "send-sms", Namespace: "default", MemoryLimitInMb: 256, TimeLimitInMs: 900000,
		Deadline: messages.InvokeRequest_Timestamp{Seconds: time.Now().Add(time.Hour).Unix()}}
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ReportAllocs()
	for b.Loop() {
		var resp messages.InvokeResponse
		if err := c.Call("Function.Invoke", req, &resp); err != nil {
			b.Fatal(err)
		}
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
