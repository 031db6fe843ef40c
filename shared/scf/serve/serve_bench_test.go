package serve

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/rpc"
	"os"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"

	"github.com/smsjump/smsjump/shared/internal/cputime"
)

// rpcFunction is the same service on net/rpc's own server, encoding/gob
// reading and writing: what serve replaced, the same run's baseline.
type rpcFunction struct{ h Handler }

func (f *rpcFunction) Ping(*messages.PingRequest, *messages.PingResponse) error { return nil }

func (f *rpcFunction) Invoke(req *messages.InvokeRequest, resp *messages.InvokeResponse) error {
	invoke(f.h, req, resp)
	return nil
}

// BenchmarkServeInvoke is one Function.Invoke over loopback from net/rpc's
// client, the runtime's, to Serve, and to net/rpc's server as the
// baseline. Both ends are in this process: cpu-ns/op (getrusage) is the
// protocol's whole cost, client included.
func BenchmarkServeInvoke(b *testing.B) {
	// Both servers log "rpc.Serve: accept: …" when a round's listener
	// closes; on stderr that lands inside the next result line, which
	// bench.sh's table then cannot read.
	log.SetOutput(io.Discard)
	b.Cleanup(func() { log.SetOutput(os.Stderr) })
	servers := []struct {
		name  string
		serve func(net.Listener)
	}{
		{"serve", func(ln net.Listener) { Serve(ln, echo{}) }},
		{"net-rpc", func(ln net.Listener) {
			s := rpc.NewServer()
			if err := s.RegisterName("Function", &rpcFunction{echo{}}); err != nil {
				b.Error(err)
				return
			}
			s.Accept(ln)
		}},
	}
	req := &messages.InvokeRequest{Payload: bytes.Repeat([]byte(`{"k":"v"},`), 50), RequestId: "rid",
		FunctionName: "send-sms", Namespace: "default", MemoryLimitInMb: 256, TimeLimitInMs: 900000,
		Deadline: messages.InvokeRequest_Timestamp{Seconds: time.Now().Add(time.Hour).Unix()}}
	for _, s := range servers {
		b.Run("server="+s.name, func(b *testing.B) {
			c := listen(b, s.serve)
			stop := cputime.PerOp(b)
			b.ReportAllocs()
			for b.Loop() {
				var resp messages.InvokeResponse
				if err := c.Call("Function.Invoke", req, &resp); err != nil || string(resp.Payload) != "rid:"+string(req.Payload) {
					b.Fatalf("%v %q", err, resp.Payload)
				}
			}
			stop()
		})
	}
}
