package serve

import "github.com/tencentyun/scf-go-lib/cloudfunction/messages"

// The protocol's messages on the gob stream: what the runtime sends is read
// into these targets by field name; the answers are written field by field
// in the order of their type definitions (gob.go), zero fields left out as
// encoding/gob leaves them out.

func requestTarget(r *rpcRequest) target {
	return target{{name: "ServiceMethod", str: &r.ServiceMethod}, {name: "Seq", u64: &r.Seq}}
}

func invokeTarget(r *messages.InvokeRequest) target {
	return target{
		{name: "Payload", bytes: &r.Payload},
		{name: "RequestId", str: &r.RequestId},
		{name: "TraceId", str: &r.TraceId},
		{name: "Deadline", sub: target{{name: "Seconds", i64: &r.Deadline.Seconds}, {name: "Nanos", i64: &r.Deadline.Nanos}}},
		{name: "InvokedFunctionUnique", str: &r.InvokedFunctionUnique},
		{name: "ClientContext", bytes: &r.ClientContext},
		{name: "Namespace", str: &r.Namespace},
		{name: "FunctionName", str: &r.FunctionName},
		{name: "FunctionVersion", str: &r.FunctionVersion},
		{name: "MemoryLimitInMb", i32: &r.MemoryLimitInMb},
		{name: "TimeLimitInMs", i32: &r.TimeLimitInMs},
		{name: "Environment", str: &r.Environment},
		{name: "TencentcloudRegion", str: &r.TencentcloudRegion},
		{name: "TencentcloudAppID", str: &r.TencentcloudAppID},
		{name: "TencentcloudUin", str: &r.TencentcloudUin},
		{name: "FunctionTrace", str: &r.FunctionTrace},
	}
}

func (w *gobWriter) ping() error {
	return w.message(needPing, func(b []byte) []byte { return append(appendInt(b, idPingResponse), 0) })
}

// empty is the body net/rpc sends with an error.
func (w *gobWriter) empty() error {
	return w.message(needEmpty, func(b []byte) []byte { return append(appendInt(b, idEmpty), 0) })
}

func (w *gobWriter) invoke(r *messages.InvokeResponse) error {
	return w.message(needInvoke, func(b []byte) []byte {
		b = appendInt(b, idInvokeResponse)
		last := -1
		// Appended as bytes: a string conversion would copy the payload
		// (up to SCF's 6 MB) once more.
		b, last = field(b, last, 0, len(r.Payload) > 0, func(b []byte) []byte {
			return append(appendUint(b, uint64(len(r.Payload))), r.Payload...)
		})
		// A non-nil error goes out even when all its fields are zero.
		b, _ = field(b, last, 1, r.Error != nil, func(b []byte) []byte { return appendError(b, r.Error) })
		return append(b, 0)
	})
}

func appendError(b []byte, e *messages.InvokeResponse_Error) []byte {
	last := -1
	b, last = field(b, last, 0, e.Message != "", func(b []byte) []byte { return appendString(b, e.Message) })
	b, last = field(b, last, 1, e.Type != "", func(b []byte) []byte { return appendString(b, e.Type) })
	b, last = field(b, last, 2, len(e.StackTrace) > 0, func(b []byte) []byte {
		b = appendUint(b, uint64(len(e.StackTrace)))
		for _, f := range e.StackTrace {
			b = appendFrame(b, f)
		}
		return b
	})
	b, _ = field(b, last, 3, e.ShouldExit, func(b []byte) []byte { return append(b, 1) })
	return append(b, 0)
}

func appendFrame(b []byte, f *messages.InvokeResponse_Error_StackFrame) []byte {
	if f == nil {
		// encoding/gob refuses a nil element; panicStack never makes one.
		return append(b, 0)
	}
	last := -1
	b, last = field(b, last, 0, f.Path != "", func(b []byte) []byte { return appendString(b, f.Path) })
	b, last = field(b, last, 1, f.Line != 0, func(b []byte) []byte { return appendInt(b, int64(f.Line)) })
	b, _ = field(b, last, 2, f.Label != "", func(b []byte) []byte { return appendString(b, f.Label) })
	return append(b, 0)
}
