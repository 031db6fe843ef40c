package serve

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"io"
	"testing"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// repeatReader serves a gob stream's definitions once, then its last
// header and body forever: a long-lived connection's steady state.
type repeatReader struct {
	loop []byte
	r    *bytes.Reader
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err == io.EOF {
		r.r.Reset(r.loop)
		return r.r.Read(p)
	}
	return n, err
}

// requestStream is a header and an invocation as the runtime sends them:
// the first with the type definitions, then the same again forever.
func requestStream(b *testing.B) *repeatReader {
	var buf bytes.Buffer
	e := gob.NewEncoder(&buf)
	req := sampleInvoke()
	req.Payload = bytes.Repeat([]byte(`{"k":"v"},`), 50)
	encode := func() []byte {
		buf.Reset()
		if err := e.Encode(&hostRequest{ServiceMethod: "Function.Invoke", Seq: 1}); err != nil {
			b.Fatal(err)
		}
		if err := e.Encode(req); err != nil {
			b.Fatal(err)
		}
		return bytes.Clone(buf.Bytes())
	}
	head := encode()
	return &repeatReader{loop: encode(), r: bytes.NewReader(head)}
}

// BenchmarkReadInvoke reads a request header and an InvokeRequest, as
// serveConn does per invocation: ours against encoding/gob.
func BenchmarkReadInvoke(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		g := newGobReader(requestStream(b))
		var h rpcRequest
		var v messages.InvokeRequest
		ht, vt := requestTarget(&h), invokeTarget(&v) // reused, as serveConn does
		b.ReportAllocs()
		for b.Loop() {
			h, v = rpcRequest{}, messages.InvokeRequest{}
			if err := g.decode(ht); err != nil {
				b.Fatal(err)
			}
			if err := g.decode(vt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-gob", func(b *testing.B) {
		d := gob.NewDecoder(bufio.NewReader(requestStream(b)))
		b.ReportAllocs()
		for b.Loop() {
			var h rpcRequest
			var v messages.InvokeRequest
			if err := d.Decode(&h); err != nil {
				b.Fatal(err)
			}
			if err := d.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriteInvoke writes a response header and an InvokeResponse.
func BenchmarkWriteInvoke(b *testing.B) {
	resp := &messages.InvokeResponse{Payload: bytes.Repeat([]byte(`{"ok":true},`), 40)}
	h := &rpcResponse{ServiceMethod: "Function.Invoke", Seq: 7}
	b.Run("ours", func(b *testing.B) {
		w := &gobWriter{w: bufio.NewWriter(io.Discard)}
		b.ReportAllocs()
		for b.Loop() {
			if err := w.response(h); err != nil {
				b.Fatal(err)
			}
			if err := w.invoke(resp); err != nil {
				b.Fatal(err)
			}
			_ = w.w.Flush()
		}
	})
	b.Run("encoding-gob", func(b *testing.B) {
		bw := bufio.NewWriter(io.Discard)
		e := gob.NewEncoder(bw)
		b.ReportAllocs()
		for b.Loop() {
			if err := e.Encode(h); err != nil {
				b.Fatal(err)
			}
			if err := e.Encode(resp); err != nil {
				b.Fatal(err)
			}
			_ = bw.Flush()
		}
	})
}
