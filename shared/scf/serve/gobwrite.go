package serve

import "bufio"

// gobWriter writes one gob stream of the protocol's answers. Type ids are
// its own choice, as every encoder's are; each definition goes out once,
// before the first value of its type.
type gobWriter struct {
	w    *bufio.Writer
	sent [gobTypes]bool
	buf  []byte
}

// The answer types and their ids on this stream.
const (
	idResponse       = 64 + iota // rpcResponse
	idPingResponse               // messages.PingResponse
	idEmpty                      // struct{}
	idInvokeResponse             // messages.InvokeResponse
	idError                      // messages.InvokeResponse_Error
	idFrame                      // messages.InvokeResponse_Error_StackFrame
	idFrames                     // []*messages.InvokeResponse_Error_StackFrame
	gobTypes         = iota
)

// typeDefs are the wireType encodings of the answer types, named as
// net/rpc's server names them (a name is only a label to the reader; with
// the same names the stream is the one net/rpc's server writes, byte for
// byte, which TestGobWriterWritesWhatNetRPCWrites checks).
var typeDefs = [gobTypes][]byte{
	idResponse - 64:       structDef(idResponse, "Response", wireField{"ServiceMethod", tString}, wireField{"Seq", tUint}, wireField{"Error", tString}),
	idPingResponse - 64:   structDef(idPingResponse, "PingResponse"),
	idEmpty - 64:          structDef(idEmpty, ""),
	idInvokeResponse - 64: structDef(idInvokeResponse, "InvokeResponse", wireField{"Payload", tBytes}, wireField{"Error", idError}),
	idError - 64: structDef(idError, "InvokeResponse_Error", wireField{"Message", tString}, wireField{"Type", tString},
		wireField{"StackTrace", idFrames}, wireField{"ShouldExit", tBool}),
	// Unnamed: encoding/gob names a slice's element type after the
	// element, here a pointer.
	idFrame - 64:  structDef(idFrame, "", wireField{"Path", tString}, wireField{"Line", tInt}, wireField{"Label", tString}),
	idFrames - 64: sliceDef(idFrames, "[]*messages.InvokeResponse_Error_StackFrame", idFrame),
}

// The definitions each answer needs, the answer's own first.
var (
	needResponse = []int{idResponse}
	needPing     = []int{idPingResponse}
	needEmpty    = []int{idEmpty}
	needInvoke   = []int{idInvokeResponse, idError, idFrames, idFrame}
)

func structDef(id int, name string, fields ...wireField) []byte {
	b := appendInt(nil, int64(-id))
	b = append(b, 3) // wireType field 2: StructT
	b = append(b, 1) // structType field 0: CommonType
	b = appendCommon(b, id, name)
	if len(fields) > 0 {
		b = append(b, 1) // structType field 1: Field
		b = appendUint(b, uint64(len(fields)))
		for _, f := range fields {
			b = append(b, 1)
			b = appendString(b, f.name)
			b = append(b, 1)
			b = appendInt(b, int64(f.id))
			b = append(b, 0)
		}
	}
	return append(b, 0, 0) // end of structType, of wireType
}

func sliceDef(id int, name string, elem int) []byte {
	b := appendInt(nil, int64(-id))
	b = append(b, 2) // wireType field 1: SliceT
	b = append(b, 1) // sliceType field 0: CommonType
	b = appendCommon(b, id, name)
	b = append(b, 1) // sliceType field 1: Elem
	b = appendInt(b, int64(elem))
	return append(b, 0, 0)
}

func appendCommon(b []byte, id int, name string) []byte {
	delta := byte(2)
	if name != "" {
		b = append(b, 1)
		b = appendString(b, name)
		delta = 1
	}
	b = append(b, delta)
	b = appendInt(b, int64(id))
	return append(b, 0)
}

// message writes the definitions of need not sent yet, then the value
// built by value (type id first), each as a counted message.
func (w *gobWriter) message(need []int, value func(b []byte) []byte) error {
	for _, id := range need {
		if !w.sent[id-64] {
			if err := w.counted(typeDefs[id-64]); err != nil {
				return err
			}
			w.sent[id-64] = true
		}
	}
	w.buf = value(w.buf[:0])
	return w.counted(w.buf)
}

func (w *gobWriter) counted(msg []byte) error {
	var n [9]byte
	if _, err := w.w.Write(appendUint(n[:0], uint64(len(msg)))); err != nil {
		return err
	}
	_, err := w.w.Write(msg)
	return err
}

func (w *gobWriter) response(r *rpcResponse) error {
	return w.message(needResponse, func(b []byte) []byte {
		b = appendInt(b, idResponse)
		last := -1
		b, last = field(b, last, 0, r.ServiceMethod != "", func(b []byte) []byte { return appendString(b, r.ServiceMethod) })
		b, last = field(b, last, 1, r.Seq != 0, func(b []byte) []byte { return appendUint(b, r.Seq) })
		b, _ = field(b, last, 2, r.Error != "", func(b []byte) []byte { return appendString(b, r.Error) })
		return append(b, 0)
	})
}

// field appends field number n (when present) as a delta from last.
func field(b []byte, last, n int, present bool, value func([]byte) []byte) ([]byte, int) {
	if !present {
		return b, last
	}
	b = appendUint(b, uint64(n-last))
	return value(b), n
}
