package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/rpc"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction"
	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// The host tests (shared/scf/host) run every runtime behaviour against both
// this server and scf-go-lib's Start; these cover what a host never sends.

func listen(t testing.TB, serve func(net.Listener)) *rpc.Client {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go serve(ln)
	c, err := rpc.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

type echo struct{}

func (echo) Invoke(ctx context.Context, p []byte) ([]byte, error) {
	fc, _ := functioncontext.FromContext(ctx)
	if string(p) == "fail" {
		return nil, errors.New("failed")
	}
	return append([]byte(fc.RequestID+":"), p...), nil
}

func TestUnknownMethodsAnswerLikeNetRPC(t *testing.T) {
	ours := listen(t, func(ln net.Listener) { Serve(ln, echo{}) })
	// scf-go-lib's Function registered on a real net/rpc server.
	theirs := listen(t, func(ln net.Listener) {
		s := rpc.NewServer()
		if err := s.Register(new(cloudfunction.Function)); err != nil {
			t.Error(err)
			return
		}
		s.Accept(ln)
	})
	for _, method := range []string{"Function.Nope", "Other.Ping", "NoDot"} {
		errOurs := ours.Call(method, &messages.PingRequest{}, &messages.PingResponse{})
		errTheirs := theirs.Call(method, &messages.PingRequest{}, &messages.PingResponse{})
		if errOurs == nil || errTheirs == nil || errOurs.Error() != errTheirs.Error() {
			t.Errorf("%s: ours %v, net/rpc %v", method, errOurs, errTheirs)
		}
	}
	// The stream stays usable after an unknown method.
	for _, c := range []*rpc.Client{ours, theirs} {
		if err := c.Call("Function.Ping", &messages.PingRequest{}, &messages.PingResponse{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInvokeOverRPC(t *testing.T) {
	c := listen(t, func(ln net.Listener) { Serve(ln, echo{}) })
	dl := time.Now().Add(time.Minute)
	call := func(p string) messages.InvokeResponse {
		var resp messages.InvokeResponse
		req := &messages.InvokeRequest{Payload: []byte(p), RequestId: "rid", Deadline: messages.InvokeRequest_Timestamp{Seconds: dl.Unix()}}
		if err := c.Call("Function.Invoke", req, &resp); err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if r := call("hi"); string(r.Payload) != "rid:hi" || r.Error != nil {
		t.Fatalf("%+v", r)
	}
	if r := call("fail"); r.Error == nil || r.Error.Message != "failed" || r.Error.Type != "errorString" || r.Payload != nil {
		t.Fatalf("%+v", r)
	}
	// Calls in flight at once are answered by Seq, as net/rpc does.
	var calls []*rpc.Call
	for range 20 {
		var resp messages.InvokeResponse
		req := &messages.InvokeRequest{Payload: []byte("x"), RequestId: "p", Deadline: messages.InvokeRequest_Timestamp{Seconds: dl.Unix()}}
		calls = append(calls, c.Go("Function.Invoke", req, &resp, nil))
	}
	for _, cl := range calls {
		<-cl.Done
		if cl.Error != nil || string(cl.Reply.(*messages.InvokeResponse).Payload) != "p:x" {
			t.Fatalf("%v %+v", cl.Error, cl.Reply)
		}
	}
}

func TestJSONAdapter(t *testing.T) {
	h := JSON(func(ctx context.Context, ev json.RawMessage) (map[string]int, error) {
		return map[string]int{"n": len(ev)}, nil
	})
	out, err := h.Invoke(context.Background(), []byte(`{"a":1}`))
	if err != nil || string(out) != `{"n":7}` {
		t.Fatalf("%s %v", out, err)
	}
	// As scf-go-lib: an empty or non-JSON payload is a function error.
	for _, p := range []string{"", "not json"} {
		if _, err := h.Invoke(context.Background(), []byte(p)); err == nil {
			t.Errorf("payload %q accepted", p)
		}
	}
}

// A body net/rpc cannot read gets an error answer and the connection goes
// on, as with net/rpc's server: encoding/gob drops the rest of the message.
func TestBadBodiesAnswerLikeNetRPC(t *testing.T) {
	ours := listen(t, func(ln net.Listener) { Serve(ln, echo{}) })
	theirs := listen(t, func(ln net.Listener) {
		s := rpc.NewServer()
		if err := s.Register(new(cloudfunction.Function)); err != nil {
			t.Error(err)
			return
		}
		s.Accept(ln)
	})
	bad := []any{
		&struct{ RequestId int }{1},               // a field of the wrong type
		&struct{ Zone string }{"CST"},             // no field in common
		&struct{ MemoryLimitInMb int64 }{1 << 40}, // out of range
		[]string{"not a struct"},
	}
	for name, c := range map[string]*rpc.Client{"ours": ours, "net/rpc": theirs} {
		for _, arg := range bad {
			if err := c.Call("Function.Invoke", arg, &messages.InvokeResponse{}); err == nil {
				t.Errorf("%s: %T accepted", name, arg)
				break
			}
			if err := c.Call("Function.Ping", &messages.PingRequest{}, &messages.PingResponse{}); err != nil {
				t.Errorf("%s: after %T: %v", name, arg, err)
				break
			}
		}
	}
}
