package host

import (
	"encoding/json"
	"fmt"
	"net/rpc"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

// InvokeOptions are the per-invocation fields of an SCF request. Function-wide
// fields (name, namespace, memory, timeout, region) come from Config.
type InvokeOptions struct {
	// RequestID identifies the invocation; a random UUID when empty.
	RequestID string
	TraceID   string
	// Environment is sent as the request's Environment JSON object; scf-go-lib
	// applies it with os.Setenv before calling the handler (and it stays set).
	Environment map[string]string
	// ClientContext is raw JSON for functioncontext.ClientContext; optional.
	ClientContext []byte
}

// request builds the RPC request. Deadline is always set: scf-go-lib turns a
// zero Deadline into 1970, an already expired context.
func (p *Pool) request(payload []byte, reqID string, opt InvokeOptions, deadline time.Time) (*messages.InvokeRequest, error) {
	var env string
	if len(opt.Environment) > 0 {
		b, err := json.Marshal(opt.Environment)
		if err != nil {
			return nil, fmt.Errorf("encode Environment: %w", err)
		}
		env = string(b)
	}
	return &messages.InvokeRequest{
		Payload:               payload,
		RequestId:             reqID,
		TraceId:               opt.TraceID,
		Deadline:              messages.InvokeRequest_Timestamp{Seconds: deadline.Unix(), Nanos: int64(deadline.Nanosecond())},
		InvokedFunctionUnique: fmt.Sprintf("qcs::scf:%s:%s:namespace/%s/function/%s", p.cfg.Region, p.cfg.AppID, p.cfg.Namespace, p.cfg.Name),
		ClientContext:         opt.ClientContext,
		Namespace:             p.cfg.Namespace,
		FunctionName:          p.cfg.Name,
		FunctionVersion:       p.cfg.Version,
		MemoryLimitInMb:       int32(p.cfg.MemoryMB),
		TimeLimitInMs:         int32(p.cfg.Timeout / time.Millisecond),
		Environment:           env,
		TencentcloudRegion:    p.cfg.Region,
		TencentcloudAppID:     p.cfg.AppID,
		TencentcloudUin:       p.cfg.Uin,
	}, nil
}

// invoke runs one request on the instance and reports whether the instance may
// serve another. It kills the instance when the deadline passes first.
func (in *instance) invoke(req *messages.InvokeRequest, deadline time.Time, timeout time.Duration) (payload []byte, reusable bool, err error) {
	var resp messages.InvokeResponse
	call := in.client.Go("Function.Invoke", req, &resp, make(chan *rpc.Call, 1))
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-call.Done:
	case <-timer.C:
		select {
		case <-call.Done: // answered at the last moment: the answer wins
		default:
			in.retire()
			return nil, false, &TimeoutError{Function: in.name, RequestID: req.RequestId, Timeout: timeout}
		}
	}
	if call.Error != nil {
		// Usually the process died (os.Exit, crash, OOM kill): give the reaper a
		// moment so the error can say how it ended.
		select {
		case <-in.exited:
		case <-time.After(200 * time.Millisecond):
		}
		in.retire()
		return nil, false, in.fail(ErrTransport, "invoke", call.Error)
	}
	// Everything the function wrote before answering is in the pipes now.
	in.drainOutput()
	if e := resp.Error; e != nil {
		fe := &FunctionError{Message: e.Message, Type: e.Type, ShouldExit: e.ShouldExit}
		for _, f := range e.StackTrace {
			if f != nil {
				fe.StackTrace = append(fe.StackTrace, StackFrame{Path: f.Path, Line: f.Line, Label: f.Label})
			}
		}
		return nil, !e.ShouldExit, fe
	}
	return resp.Payload, true, nil
}
