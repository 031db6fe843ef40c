package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// invoke is scf-go-lib's Function.Invoke: the deadline and function context
// from the request, the request's environment applied to the process, a
// panic reported with its stack and ShouldExit so the runtime replaces the
// instance.
func invoke(h Handler, req *messages.InvokeRequest, resp *messages.InvokeResponse) {
	defer func() {
		if v := recover(); v != nil {
			resp.Payload = nil
			resp.Error = &messages.InvokeResponse_Error{
				Message:    fmt.Sprintf("%v", v),
				Type:       typeName(v),
				StackTrace: panicStack(),
				ShouldExit: true,
			}
		}
	}()

	deadline := time.Unix(req.Deadline.Seconds, req.Deadline.Nanos).UTC()
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()

	fc := &functioncontext.FunctionContext{
		RequestID:             req.RequestId,
		InvokedFunctionUnique: req.InvokedFunctionUnique,
		Namespace:             req.Namespace,
		FunctionName:          req.FunctionName,
		FunctionVersion:       req.FunctionVersion,
		MemoryLimitInMb:       req.MemoryLimitInMb,
		TimeLimitInMs:         req.TimeLimitInMs,
		TencentcloudRegion:    req.TencentcloudRegion,
		TencentcloudAppID:     req.TencentcloudAppID,
		TencentcloudUin:       req.TencentcloudUin,
		FunctionTrace:         req.FunctionTrace,
	}
	if len(req.ClientContext) > 0 {
		if err := json.Unmarshal(req.ClientContext, &fc.ClientContext); err != nil {
			resp.Error = functionError(err)
			return
		}
	}
	if len(req.Environment) > 0 {
		if err := json.Unmarshal([]byte(req.Environment), &fc.Environment); err != nil {
			resp.Error = functionError(err)
			return
		}
		for k, v := range fc.Environment {
			os.Setenv(k, v)
		}
	}
	payload, err := h.Invoke(functioncontext.NewContext(ctx, fc), req.Payload)
	if err != nil {
		resp.Error = functionError(err)
		return
	}
	resp.Payload = payload
}

func functionError(err error) *messages.InvokeResponse_Error {
	return &messages.InvokeResponse_Error{Message: err.Error(), Type: typeName(err)}
}

// typeName is the name scf-go-lib reports as the error type: the named
// type, or the type pointed to.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// panicStack is the panicking goroutine's stack as scf-go-lib reports it:
// up to 32 frames, paths trimmed to the package path, labels without it.
func panicStack() []*messages.InvokeResponse_Error_StackFrame {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs) // runtime.Callers, panicStack, the deferred func
	frames := runtime.CallersFrames(pcs[:n])
	out := make([]*messages.InvokeResponse_Error_StackFrame, 0, n)
	for n > 0 {
		f, more := frames.Next()
		out = append(out, frame(f))
		if !more {
			break
		}
	}
	return out
}

func frame(f runtime.Frame) *messages.InvokeResponse_Error_StackFrame {
	path, label := f.File, f.Function
	i := len(path)
	for n, g := 0, strings.Count(label, "/")+2; n < g; n++ {
		i = strings.LastIndex(path[:i], "/")
		if i == -1 {
			break
		}
	}
	path = path[i+1:]
	label = label[strings.LastIndex(label, "/")+1:]
	label = label[strings.Index(label, ".")+1:]
	return &messages.InvokeResponse_Error_StackFrame{Path: path, Line: int32(f.Line), Label: label}
}
