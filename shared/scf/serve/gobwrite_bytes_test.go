package serve

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"net/rpc"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// answers is a run of what the server answers, in the order written.
var answers = []struct {
	h    rpcResponse
	body any // nil: an error answer
}{
	{rpcResponse{ServiceMethod: "Function.Ping"}, &messages.PingResponse{}},
	{rpcResponse{ServiceMethod: "Function.Nope", Seq: 1, Error: "rpc: can't find method Function.Nope"}, nil},
	{rpcResponse{ServiceMethod: "Function.Invoke", Seq: 2}, &messages.InvokeResponse{Payload: []byte(`{"ok":true}`)}},
	{rpcResponse{ServiceMethod: "Function.Invoke", Seq: 3}, &messages.InvokeResponse{}},
	{rpcResponse{ServiceMethod: "Function.Invoke", Seq: 300}, &messages.InvokeResponse{Error: &messages.InvokeResponse_Error{}}},
	{rpcResponse{ServiceMethod: "Function.Invoke", Seq: 1 << 40}, &messages.InvokeResponse{Error: &messages.InvokeResponse_Error{
		Message: "boom: 调用失败", Type: "string", ShouldExit: true,
		StackTrace: []*messages.InvokeResponse_Error_StackFrame{
			{Path: "serve/invoke.go", Line: 22, Label: "invoke.func1"}, {}, {Line: -7}, {Label: strings.Repeat("x", 200)}},
	}}},
	{rpcResponse{ServiceMethod: "Function.Invoke", Seq: ^uint64(0)}, &messages.InvokeResponse{Payload: bytes.Repeat([]byte("p"), 70000)}},
	{rpcResponse{Seq: 9, Error: "gob: bad"}, nil},
	{rpcResponse{ServiceMethod: "Function.Ping", Seq: 10}, &messages.PingResponse{}},
}

// TestGobWriterWritesWhatNetRPCWrites compares the writer's stream with
// what net/rpc's own server (encoding/gob) writes for the same answers,
// byte for byte. encoding/gob's type ids are global to a process, so its
// side runs in a fresh process that meets the types in the writer's order.
func TestGobWriterWritesWhatNetRPCWrites(t *testing.T) {
	if os.Getenv("SERVE_GOB_HELPER") == "1" {
		for _, v := range []any{&rpc.Response{}, &messages.PingResponse{}, struct{}{}, &messages.InvokeResponse{}} {
			if err := gob.NewEncoder(new(bytes.Buffer)).Encode(v); err != nil {
				t.Fatal(err)
			}
		}
		var b bytes.Buffer
		e := gob.NewEncoder(&b)
		for _, a := range answers {
			var body any = struct{}{} // net/rpc's invalidRequest
			if a.body != nil {
				body = a.body
			}
			if err := e.Encode(&rpc.Response{ServiceMethod: a.h.ServiceMethod, Seq: a.h.Seq, Error: a.h.Error}); err != nil {
				t.Fatal(err)
			}
			if err := e.Encode(body); err != nil {
				t.Fatal(err)
			}
		}
		os.Stdout.WriteString("\n" + hex.EncodeToString(b.Bytes()) + "\n")
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestGobWriterWritesWhatNetRPCWrites$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SERVE_GOB_HELPER=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	var theirs []byte
	for _, line := range strings.Split(string(out), "\n") {
		if b, err := hex.DecodeString(line); err == nil && len(b) > 0 {
			theirs = b
		}
	}

	var b bytes.Buffer
	w := &gobWriter{w: bufio.NewWriter(&b)}
	for _, a := range answers {
		err := w.response(&a.h)
		if err == nil {
			switch body := a.body.(type) {
			case *messages.PingResponse:
				err = w.ping()
			case *messages.InvokeResponse:
				err = w.invoke(body)
			default:
				err = w.empty()
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.w.Flush(); err != nil {
		t.Fatal(err)
	}
	ours := b.Bytes()
	if !bytes.Equal(ours, theirs) {
		n := 0
		for n < len(ours) && n < len(theirs) && ours[n] == theirs[n] {
			n++
		}
		t.Fatalf("streams differ at byte %d of %d/%d:\nours  % x\ngob's % x", n, len(ours), len(theirs),
			ours[max(0, n-16):min(len(ours), n+32)], theirs[max(0, n-16):min(len(theirs), n+32)])
	}
}
