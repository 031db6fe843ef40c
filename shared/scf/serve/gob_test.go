package serve

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// These tests hold gob.go to encoding/gob, which the runtime speaks:
// whatever encoding/gob writes, the reader reads to the same values (and
// refuses what encoding/gob refuses), and whatever the writer writes,
// encoding/gob reads back to the values written.

// hostRequest is net/rpc's Request as the runtime's encoder sees it.
type hostRequest struct {
	ServiceMethod string
	Seq           uint64
}

// otherInvokeRequest is an InvokeRequest as another build of the runtime
// might send it: fields in another order, some missing, and some of every
// kind the reader must skip.
type otherInvokeRequest struct {
	Deadline        messages.InvokeRequest_Timestamp
	Extra           map[string][]int
	RequestId       string
	F               float64
	B               bool
	Arr             [2]string
	C               complex128
	Nested          []*struct{ A, B int }
	Payload         []byte
	MemoryLimitInMb int32
	U               uint8
	Environment     string
}

// wrongInvokeRequest has a field of the right name and the wrong type,
// which encoding/gob refuses.
type wrongInvokeRequest struct {
	Payload   []byte
	RequestId int
}

func invokeFrom(payload []byte, s string, n int64) *messages.InvokeRequest {
	return &messages.InvokeRequest{
		Payload: payload, RequestId: s, TraceId: s + "t", Deadline: messages.InvokeRequest_Timestamp{Seconds: n, Nanos: -n},
		InvokedFunctionUnique: s, ClientContext: payload, Namespace: "default", FunctionName: "get-scheme",
		FunctionVersion: "$LATEST", MemoryLimitInMb: int32(n), TimeLimitInMs: int32(n >> 32), Environment: s,
		TencentcloudRegion: "ap-guangzhou", TencentcloudAppID: "1250000000", TencentcloudUin: s, FunctionTrace: s,
	}
}

// readBoth decodes stream with encoding/gob and with gobReader into the
// same local types, a request header then an invoke request, twice (the
// second time without type definitions). With exact, the two must accept
// and refuse the same values; without, only what both accept must agree.
func readBoth(t *testing.T, stream []byte, exact bool) {
	t.Helper()
	gd := gob.NewDecoder(bytes.NewReader(stream))
	ours := newGobReader(bytes.NewReader(stream))
	for i := range 2 {
		var wantH, gotH rpcRequest
		errW := gd.Decode(&wantH)
		errG := ours.decode(requestTarget(&gotH))
		if !exact && (errW != nil || errG != nil) {
			return
		}
		if (errW == nil) != (errG == nil) {
			t.Fatalf("header %d: encoding/gob %v, ours %v (stream % x)", i, errW, errG, stream)
		}
		if errW != nil {
			return
		}
		if wantH != gotH {
			t.Fatalf("header %d: encoding/gob %+v, ours %+v", i, wantH, gotH)
		}
		var want, got messages.InvokeRequest
		errW = gd.Decode(&want)
		errG = ours.decode(invokeTarget(&got))
		if !exact && (errW != nil || errG != nil) {
			return
		}
		if (errW == nil) != (errG == nil) {
			t.Fatalf("body %d: encoding/gob %v, ours %v (stream % x)", i, errW, errG, stream)
		}
		if errW != nil {
			return
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("body %d:\nencoding/gob %+v\nours         %+v", i, want, got)
		}
	}
}

func encodeStream(t testing.TB, vs ...any) []byte {
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func FuzzGobReaderMatchesGob(f *testing.F) {
	f.Add([]byte(`{"a":1}`), "req-1", int64(1700000000), uint64(7), uint8(0))
	f.Add([]byte(nil), "", int64(0), uint64(0), uint8(1))
	f.Add(bytes.Repeat([]byte{0xff}, 300), "中文\x00", int64(-1<<40), uint64(1<<63), uint8(1))
	f.Add([]byte("x"), "r", int64(3), uint64(1), uint8(2))
	f.Fuzz(func(t *testing.T, payload []byte, s string, n int64, seq uint64, kind uint8) {
		h := &hostRequest{ServiceMethod: "Function.Invoke" + s, Seq: seq}
		var body any = invokeFrom(payload, s, n)
		switch kind % 3 {
		case 2:
			body = &wrongInvokeRequest{Payload: payload, RequestId: int(n)}
		case 1:
			body = &otherInvokeRequest{
				Deadline: messages.InvokeRequest_Timestamp{Seconds: n}, Extra: map[string][]int{s: {int(n), 1}},
				RequestId: s, F: float64(n) / 3, B: n%2 == 0, Arr: [2]string{s, ""}, C: complex(float64(n), 1),
				Nested: []*struct{ A, B int }{{A: int(n)}, {B: 1}}, Payload: payload, MemoryLimitInMb: int32(n),
				U: uint8(n), Environment: s,
			}
		}
		readBoth(t, encodeStream(t, h, body, h, body), true)
	})
}

// FuzzGobReaderOnAnyBytes: on any stream the reader does not panic or
// loop, and a value both accept has the same fields. Streams no encoder
// writes may be refused by one and read by the other (encoding/gob checks
// every type a struct refers to before reading, this reader only those the
// value uses); the runtime's peer is encoding/gob, whose streams
// FuzzGobReaderMatchesGob holds to exact agreement.
func FuzzGobReaderOnAnyBytes(f *testing.F) {
	f.Add(encodeStream(f, &hostRequest{ServiceMethod: "Function.Ping", Seq: 1}, &messages.PingRequest{}))
	f.Add(encodeStream(f, &hostRequest{ServiceMethod: "Function.Invoke", Seq: 2}, invokeFrom([]byte("x"), "r", 5)))
	f.Add(encodeStream(f, &hostRequest{ServiceMethod: "Function.Invoke", Seq: 2}, &otherInvokeRequest{RequestId: "r"}))
	f.Add(encodeStream(f, 5, "x"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, stream []byte) {
		readBoth(t, stream, false)
	})
}

// readAnswers decodes what the writer wrote with encoding/gob, as net/rpc's
// client does: a header, then the body.
func readAnswers(t *testing.T, stream []byte, bodies []any) {
	t.Helper()
	d := gob.NewDecoder(bytes.NewReader(stream))
	for i, want := range bodies {
		var h rpcResponse
		if err := d.Decode(&h); err != nil {
			t.Fatalf("answer %d header: %v (stream % x)", i, err, stream)
		}
		if h.Seq != uint64(i) || h.ServiceMethod != "m" {
			t.Fatalf("answer %d header %+v", i, h)
		}
		switch w := want.(type) {
		case *messages.InvokeResponse:
			var got messages.InvokeResponse
			if err := d.Decode(&got); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
			if len(w.Payload) == 0 {
				w.Payload = nil // gob leaves an empty slice out
			}
			if !reflect.DeepEqual(*w, got) {
				t.Fatalf("answer %d:\nwrote %+v\nread  %+v", i, w, got)
			}
		case *messages.PingResponse:
			var got messages.PingResponse
			if err := d.Decode(&got); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		default:
			if h.Error != "e" {
				t.Fatalf("answer %d: error %q", i, h.Error)
			}
			if err := d.Decode(&struct{}{}); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		}
	}
	if err := d.Decode(new(rpcResponse)); !errors.Is(err, io.EOF) {
		t.Fatalf("after the answers: %v", err)
	}
}

func FuzzGobWriterMatchesGob(f *testing.F) {
	f.Add([]byte(`{"ok":true}`), "", "", uint8(0), int32(0), false, uint8(0))
	f.Add([]byte(nil), "boom", "*errors.errorString", uint8(3), int32(-7), true, uint8(1))
	f.Add(bytes.Repeat([]byte("x"), 70000), "中", "", uint8(40), int32(1<<30), false, uint8(2))
	f.Fuzz(func(t *testing.T, payload []byte, msg, typ string, frames uint8, line int32, exit bool, order uint8) {
		resp := &messages.InvokeResponse{Payload: payload}
		if msg != "" || typ != "" || frames > 0 || exit {
			resp.Error = &messages.InvokeResponse_Error{Message: msg, Type: typ, ShouldExit: exit}
			for i := range int(frames) {
				resp.Error.StackTrace = append(resp.Error.StackTrace, &messages.InvokeResponse_Error_StackFrame{
					Path: msg, Line: line + int32(i), Label: typ})
			}
		}
		// The three bodies in an order the fuzzer picks, each type's
		// definition going out before its first value.
		all := []any{resp, &messages.PingResponse{}, nil}
		bodies := []any{all[order%3], all[(order+1)%3], all[(order+2)%3], resp, nil}
		var b bytes.Buffer
		w := &gobWriter{w: bufio.NewWriter(&b)}
		for i, body := range bodies {
			h := &rpcResponse{ServiceMethod: "m", Seq: uint64(i)}
			var err error
			switch body := body.(type) {
			case *messages.InvokeResponse:
				if err = w.response(h); err == nil {
					err = w.invoke(body)
				}
			case *messages.PingResponse:
				if err = w.response(h); err == nil {
					err = w.ping()
				}
			default:
				h.Error = "e"
				if err = w.response(h); err == nil {
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
		readAnswers(t, b.Bytes(), bodies)
	})
}

// An all-zero error still arrives as an error: the runtime reads a non-nil
// Error as a failed invocation.
func TestGobWriterKeepsAnEmptyError(t *testing.T) {
	var b bytes.Buffer
	w := &gobWriter{w: bufio.NewWriter(&b)}
	if err := w.invoke(&messages.InvokeResponse{Error: &messages.InvokeResponse_Error{}}); err != nil {
		t.Fatal(err)
	}
	_ = w.w.Flush()
	var got messages.InvokeResponse
	if err := gob.NewDecoder(&b).Decode(&got); err != nil || got.Error == nil {
		t.Fatalf("decoded %+v, %v; want a non-nil Error", got, err)
	}
}
