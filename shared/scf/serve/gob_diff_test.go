package serve

import (
	"bytes"
	"encoding/gob"
	"errors"
	"io"
	"math"
	"math/big"
	"net"
	"net/url"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// These tests run the reader side by side with encoding/gob on the same
// streams, value by value, as serveConn reads them (headers, pings,
// invocations, bodies of unknown methods discarded), and require the same
// acceptance, the same values and the same place in the stream.

// reversed has InvokeRequest's fields in reverse order and other int sizes.
type reversed struct {
	FunctionTrace, TencentcloudUin, TencentcloudAppID, TencentcloudRegion, Environment string
	TimeLimitInMs, MemoryLimitInMb                                                     int64
	FunctionVersion, FunctionName, Namespace                                           string
	ClientContext                                                                      []byte
	InvokedFunctionUnique                                                              string
	Deadline                                                                           *struct{ Nanos, Seconds int16 }
	TraceId, RequestId                                                                 string
	Payload                                                                            []byte
}

type treeNode struct {
	Next *treeNode
	Kids []treeNode
	V    int
}

type registered struct{ A, B string }

// onlyInInterface is sent only inside interface values, so its definition
// (and its fields' types') travels inside the value's message.
type onlyInInterface struct {
	S []registered
	M map[string][2]uint
	T *onlyInInterface
}

func init() {
	gob.Register(registered{})
	gob.Register(onlyInInterface{})
}

// newerInvokeRequest is an InvokeRequest of a later scf-go-lib: fields of
// every kind gob can send, interfaces and types with their own encoding
// among them.
type newerInvokeRequest struct {
	Complex   complex128
	Payload   []byte
	Array     [3]int
	Empty     [0]int
	Map       map[string][]int
	StructMap map[registered]registered
	Tree      *treeNode
	Iface     any
	Iface2    any
	Ifaces    []any
	Time      time.Time // GobEncoder
	Big       *big.Int  // GobEncoder
	URL       *url.URL  // BinaryMarshaler
	IP        net.IP
	RequestId string
	Deadline  struct {
		Seconds int64
		Nanos   int64
		Zone    string
	}
	MemoryLimitInMb int
}

func sampleInvoke() *messages.InvokeRequest {
	return invokeFrom([]byte(`{"Records":[]}`), "a1b2-c3", 1_800_000_000)
}

// gobSenders are values encoding/gob's encoder writes where the runtime
// sends an InvokeRequest: the runtime's own type, other versions of it, and
// values of other types both readers must refuse.
func gobSenders() map[string]any {
	u, _ := url.Parse("https://h5.example.cn/?c=spring")
	nw := &newerInvokeRequest{
		Complex: 2 + 3i, Payload: []byte("p"), Array: [3]int{0, 1, 2}, Map: map[string][]int{"x": {1, 2}, "": nil},
		StructMap: map[registered]registered{{"k", ""}: {"", "v"}},
		Tree:      &treeNode{Next: &treeNode{V: 2, Next: &treeNode{}}, Kids: []treeNode{{V: 1}, {Kids: []treeNode{{V: 3}}}}},
		Iface:     registered{"i", "j"},
		Iface2:    onlyInInterface{S: []registered{{"s", ""}}, M: map[string][2]uint{"m": {1, 2}}, T: &onlyInInterface{}},
		Ifaces:    []any{registered{"x", "y"}, onlyInInterface{}},
		Time:      time.Unix(1_800_000_000, 5).UTC(), Big: big.NewInt(-1 << 62), URL: u, IP: net.ParseIP("10.0.0.1"),
		RequestId: "newer", MemoryLimitInMb: math.MinInt32,
	}
	nw.Deadline.Seconds, nw.Deadline.Nanos, nw.Deadline.Zone = 1, 2, "CST"
	return map[string]any{
		"runtime": sampleInvoke(),
		"empty":   &messages.InvokeRequest{},
		"reversed": &reversed{FunctionName: "名字", MemoryLimitInMb: math.MaxInt32, Payload: bytes.Repeat([]byte{0, 255}, 300),
			Deadline: &struct{ Nanos, Seconds int16 }{-3, 7}, RequestId: "r"},
		"older": &struct {
			Payload   []byte
			RequestId string
			Deadline  messages.InvokeRequest_Timestamp
		}{[]byte("x"), "o", messages.InvokeRequest_Timestamp{Seconds: -1}},
		"newer":              nw,
		"interface only":     &struct{ X any }{registered{"a", "b"}},
		"nil interfaces":     &struct{ Ifaces []any }{[]any{nil, registered{}}},
		"no field in common": &struct{ Zone string }{"CST"},
		"wrong type":         &struct{ RequestId int }{1},
		"int32 overflow":     &struct{ MemoryLimitInMb int64 }{1 << 31},
		"not a struct":       []string{"a"},
		"int":                42,
		"deadline a slice": &struct {
			RequestId string
			Deadline  []int
		}{"r", []int{1}},
		"deadline a GobEncoder": &struct {
			RequestId string
			Deadline  time.Time
		}{"r", time.Unix(1, 0)},
		"ping": &messages.PingRequest{},
	}
}

// readers decodes one stream with encoding/gob and with gobReader.
type readers struct {
	gob  *gob.Decoder
	ours *gobReader
}

func newReaders(b []byte) *readers {
	return &readers{gob.NewDecoder(bytes.NewReader(b)), newGobReader(bytes.NewReader(b))}
}

// Kinds of values, as serveConn reads them.
const (
	readHeader = iota
	readPing
	readInvoke
	readDiscard
)

// step reads the next value as kind both ways and returns how they differ
// (""), and whether encoding/gob panicked (it does on some malformed
// streams: nothing to compare then).
func (r *readers) step(kind int) (diff string, gobErr, ourErr error, gobPanicked bool) {
	var gv, ov any
	func() {
		defer func() { gobPanicked = recover() != nil }()
		switch kind {
		case readHeader:
			var h rpcRequest
			gobErr, gv = r.gob.Decode(&h), &h
		case readPing:
			gobErr = r.gob.Decode(&messages.PingRequest{})
		case readInvoke:
			var v messages.InvokeRequest
			gobErr, gv = r.gob.Decode(&v), &v
		default:
			gobErr = r.gob.DecodeValue(reflect.Value{})
		}
	}()
	switch kind {
	case readHeader:
		var h rpcRequest
		ourErr, ov = r.ours.decode(requestTarget(&h)), &h
	case readPing:
		ourErr = r.ours.decode(target{})
	case readInvoke:
		var v messages.InvokeRequest
		ourErr, ov = r.ours.decode(invokeTarget(&v)), &v
	default:
		ourErr = r.ours.discard()
	}
	switch {
	case gobPanicked:
	case (gobErr == nil) != (ourErr == nil):
		diff = "encoding/gob: " + errText(gobErr) + "; ours: " + errText(ourErr)
	case gobErr == nil && !reflect.DeepEqual(gv, ov):
		diff = "values differ"
	case errors.Is(gobErr, io.EOF) != errors.Is(ourErr, io.EOF):
		diff = "end of stream: encoding/gob: " + errText(gobErr) + "; ours: " + errText(ourErr)
	}
	return diff, gobErr, ourErr, gobPanicked
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// TestGobReaderReadsWhatGobReads reads each sender's value in a stream as
// net/rpc's client writes it, between other requests, and once more
// without definitions, then discarded, as encoding/gob does.
func TestGobReaderReadsWhatGobReads(t *testing.T) {
	for name, v := range gobSenders() {
		t.Run(name, func(t *testing.T) {
			stream := encodeStream(t,
				&hostRequest{ServiceMethod: "Function.Ping", Seq: 0}, &messages.PingRequest{},
				&hostRequest{ServiceMethod: "Function.Invoke", Seq: 1}, v,
				&hostRequest{ServiceMethod: "Function.Invoke", Seq: 2}, v,
				&hostRequest{ServiceMethod: "Other.Method", Seq: 3}, v,
				&hostRequest{ServiceMethod: "Function.Invoke", Seq: 4}, sampleInvoke(),
			)
			r := newReaders(stream)
			for i, kind := range []int{0, 1, 0, 2, 0, 2, 0, 3, 0, 2, 0} {
				if diff, _, _, _ := r.step(kind); diff != "" {
					t.Fatalf("value %d (kind %d): %s", i, kind, diff)
				}
			}
			r = newReaders(encodeStream(t, v, v, v))
			for i, kind := range []int{readDiscard, readInvoke, readPing} {
				if diff, _, _, _ := r.step(kind); diff != "" {
					t.Fatalf("alone, value %d (kind %d): %s", i, kind, diff)
				}
			}
		})
	}
}

// TestGobReaderAllocatesWhatArrives: a message count is the input's claim;
// the reader allocates for the bytes that arrive, and refuses a message
// over gobMaxMessage without reading it.
func TestGobReaderAllocatesWhatArrives(t *testing.T) {
	for name, in := range map[string][]byte{
		"30 MB claimed, 3 bytes sent":      append(appendUint(nil, 30<<20), 1, 2, 3),
		"over the bound, 3 bytes sent":     append(appendUint(nil, 1<<30-1), 1, 2, 3),
		"field count 2^40 in a definition": counted(append(appendInt(nil, -65), 3, 1, 1, 1, 'T', 0, 1, 0xfb, 1, 0, 0, 0, 0)),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var v messages.InvokeRequest
		err := newGobReader(bytes.NewReader(in)).decode(invokeTarget(&v))
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
			t.Errorf("%s: allocated %d bytes", name, n)
		}
	}
}

func counted(msg []byte) []byte { return append(appendUint(nil, uint64(len(msg))), msg...) }

// TestGobReaderReadsBigEvents: a 7 MB event, over SCF's 6 MB, is read.
func TestGobReaderReadsBigEvents(t *testing.T) {
	want := sampleInvoke()
	want.Payload = bytes.Repeat([]byte("0123456789abcdef"), 7<<16)
	var got messages.InvokeRequest
	if err := newGobReader(bytes.NewReader(encodeStream(t, want))).decode(invokeTarget(&got)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, want) {
		t.Fatal("payload differs")
	}
}

// FuzzGobReaderAcceptsWhatGobAccepts: any bytes, read as serveConn would
// (plan picks header, ping, invocation or discard for up to four values,
// two bits each). Wherever encoding/gob reads a value, ours reads the same
// value; both refusing, they go on in step. Where only encoding/gob
// refuses (it checks every type a struct names, ours those the value
// uses) or encoding/gob panics, the run stops.
func FuzzGobReaderAcceptsWhatGobAccepts(f *testing.F) {
	f.Add(uint8(0b10_00), encodeStream(f, &hostRequest{ServiceMethod: "Function.Invoke", Seq: 1}, sampleInvoke()))
	f.Add(uint8(0b01_00), encodeStream(f, &hostRequest{ServiceMethod: "Function.Ping"}, &messages.PingRequest{}))
	for _, v := range gobSenders() {
		f.Add(uint8(0b10_11_10), encodeStream(f, v, v, v))
	}
	f.Add(uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, plan uint8, data []byte) {
		r := newReaders(data)
		for step := range 4 {
			kind := int(plan>>(2*step)) & 3
			diff, gobErr, ourErr, panicked := r.step(kind)
			switch {
			case panicked || gobErr != nil && ourErr == nil:
				return
			case gobErr == nil && diff != "":
				t.Fatalf("step %d (kind %d): %s", step, kind, diff)
			}
		}
	})
}

// TestGobReaderOnEveryBuiltinID sends a value under every id below the
// stream's own (and a few of them), empty and with a field, as each kind
// serveConn reads: whatever encoding/gob reads, ours reads alike.
func TestGobReaderOnEveryBuiltinID(t *testing.T) {
	for id := int64(-1); id < 70; id++ {
		for _, body := range [][]byte{{0}, {}, {1, 2, 0}, {1, 1, 'x', 1, 4, 0}, {0, 4}} {
			msg := counted(append(appendInt(nil, id), body...))
			for kind := range 4 {
				if diff, gobErr, _, _ := newReaders(msg).step(kind); diff != "" && gobErr == nil {
					t.Errorf("id %d, body % x, kind %d: %s", id, body, kind, diff)
				}
			}
		}
	}
}

// TestGobReaderOnCutStreams cuts a request anywhere: both readers refuse
// the cut value, and a clean cut is io.EOF for both.
func TestGobReaderOnCutStreams(t *testing.T) {
	whole := encodeStream(t, &hostRequest{ServiceMethod: "Function.Invoke", Seq: 7}, sampleInvoke(),
		&hostRequest{ServiceMethod: "Function.Invoke", Seq: 8}, gobSenders()["newer"])
	for n := range len(whole) {
		r := newReaders(whole[:n])
		for _, kind := range []int{readHeader, readInvoke, readHeader, readInvoke} {
			diff, gobErr, _, _ := r.step(kind)
			if diff != "" {
				t.Fatalf("cut at %d, kind %d: %s", n, kind, diff)
			}
			if gobErr != nil {
				break
			}
		}
	}
}

// TestGobReaderReusesTargets: serveConn decodes every request into the
// same targets; values of several wire types in turn, on one stream, read
// as encoding/gob reads each into a fresh value.
func TestGobReaderReusesTargets(t *testing.T) {
	s := gobSenders()
	order := []string{"runtime", "reversed", "older", "wrong type", "runtime", "newer", "reversed", "empty", "older", "runtime"}
	var vs []any
	for i, name := range order {
		vs = append(vs, &hostRequest{ServiceMethod: name, Seq: uint64(i)}, s[name])
	}
	stream := encodeStream(t, vs...)
	gd := gob.NewDecoder(bytes.NewReader(stream))
	ours := newGobReader(bytes.NewReader(stream))
	var h rpcRequest
	var v messages.InvokeRequest
	ht, vt := requestTarget(&h), invokeTarget(&v)
	for _, name := range order {
		var wantH rpcRequest
		var want messages.InvokeRequest
		h, v = rpcRequest{}, messages.InvokeRequest{}
		if err := gd.Decode(&wantH); err != nil {
			t.Fatal(err)
		}
		if err := ours.decode(ht); err != nil || h != wantH {
			t.Fatalf("%s: header %+v, %v; want %+v", name, h, err, wantH)
		}
		errW, errG := gd.Decode(&want), ours.decode(vt)
		if (errW == nil) != (errG == nil) || errW == nil && !reflect.DeepEqual(v, want) {
			t.Fatalf("%s: ours %+v, %v\nencoding/gob %+v, %v", name, v, errG, want, errW)
		}
	}
	// One wire type read as a header and as an invocation in turn.
	type both struct {
		ServiceMethod string
		Seq           uint64
		Payload       []byte
		RequestId     string
	}
	b := &both{"Function.Invoke", 3, []byte("p"), "r"}
	r := newReaders(encodeStream(t, b, b, b, b))
	for i := range 2 {
		var wantH rpcRequest
		var want messages.InvokeRequest
		h, v = rpcRequest{}, messages.InvokeRequest{}
		if err := r.gob.Decode(&wantH); err != nil || r.ours.decode(ht) != nil || h != wantH {
			t.Fatalf("%d: header %+v, want %+v (%v)", i, h, wantH, err)
		}
		if err := r.gob.Decode(&want); err != nil || r.ours.decode(vt) != nil || !reflect.DeepEqual(v, want) {
			t.Fatalf("%d: body %+v, want %+v (%v)", i, v, want, err)
		}
	}
	// Bodies back to back: one target, wire types in turn.
	vs = nil
	for _, name := range order {
		vs = append(vs, s[name])
	}
	stream = encodeStream(t, vs...)
	gd, ours = gob.NewDecoder(bytes.NewReader(stream)), newGobReader(bytes.NewReader(stream))
	for _, name := range order {
		var want messages.InvokeRequest
		v = messages.InvokeRequest{}
		errW, errG := gd.Decode(&want), ours.decode(vt)
		if (errW == nil) != (errG == nil) || errW == nil && !reflect.DeepEqual(v, want) {
			t.Fatalf("%s, back to back: ours %+v, %v\nencoding/gob %+v, %v", name, v, errG, want, errW)
		}
	}
}
