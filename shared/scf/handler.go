package scf

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
)

// HTTPHandler adapts h for cloudfunction.Start:
//
//	cloudfunction.Start(scf.HTTPHandler(mux))
//
// The event becomes an *http.Request carrying ctx (with the SCF deadline); what
// h writes becomes the integrated response. An event that cannot be decoded
// gets a 400 {"error":"bad_request",…} response instead of a function error,
// so the client sees a useful answer and SCF does not count a failure. The
// returned error is always nil.
//
// scf-go-lib unmarshals the payload into json.RawMessage before calling the
// handler, so a payload that is not JSON at all fails there, as a function
// error. HTTPInvoker has no such gap.
func HTTPHandler(h http.Handler) func(ctx context.Context, event json.RawMessage) (*Response, error) {
	return func(ctx context.Context, event json.RawMessage) (*Response, error) {
		return ServeEvent(ctx, h, event), nil
	}
}

// Invoker is a function in the shape of scf-go-lib's cloudfunction.Handler
// interface (Invoke(ctx, payload) ([]byte, error)).
type Invoker func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke implements cloudfunction.Handler.
func (f Invoker) Invoke(ctx context.Context, payload []byte) ([]byte, error) { return f(ctx, payload) }

// HTTPInvoker adapts h for cloudfunction.StartHandler:
//
//	cloudfunction.StartHandler(scf.HTTPInvoker(mux))
//
// It behaves like HTTPHandler but receives the raw payload, so even a payload
// that is not JSON gets a 400 response, and it skips scf-go-lib's reflection.
func HTTPInvoker(h http.Handler) Invoker {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		var resp Response // on the stack: only its JSON leaves
		w := recorders.Get().(*recorder)
		serveEvent(ctx, h, payload, w, &resp, true)
		out := resp.AppendJSON(make([]byte, 0, 96+len(resp.Body)+48*len(resp.Headers)))
		// Only the JSON leaves: the body and the header map were borrowed
		// from w, and the map is the next response's.
		w.keepHeader()
		recorders.Put(w)
		return out, nil
	}
}

// ServeEvent runs h on the HTTP event raw and returns the integrated response.
// A bad event yields 400, a panic in h yields 500 (logged with its stack);
// ServeEvent itself never fails.
func ServeEvent(ctx context.Context, h http.Handler, raw []byte) *Response {
	resp := new(Response)
	w := recorders.Get().(*recorder)
	serveEvent(ctx, h, raw, w, resp, false)
	w.giveHeader()
	recorders.Put(w)
	return resp
}

func serveEvent(ctx context.Context, h http.Handler, raw []byte, w *recorder, resp *Response, borrowBody bool) {
	r, err := NewRequest(ctx, raw)
	if err != nil {
		slog.Default().WarnContext(ctx, "scf: undecodable HTTP event", "err", err, "bytes", len(raw))
		*resp = *errorResponse(http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	serve(h, r, w, resp, borrowBody)
}

// serve runs h with w, a recorder from the pool, and fills resp. w's
// header map becomes resp's unless the caller hands it back with
// keepHeader once resp is encoded; with borrowBody so is the body's buffer
// (see recorder.fill).
func serve(h http.Handler, r *http.Request, w *recorder, resp *Response, borrowBody bool) {
	w.reset()
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				slog.Default().ErrorContext(r.Context(), "scf: handler panicked",
					"request_id", RequestID(r), "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			}
			*resp = *errorResponse(http.StatusInternalServerError, "internal", "internal error")
		}
	}()
	h.ServeHTTP(w, r)
	w.fill(resp, borrowBody)
}

// recorders keeps recorders, their body buffers and (for HTTPInvoker)
// their header maps between invocations; fill copies the body out, so
// nothing of a returned recorder is still in use.
var recorders = sync.Pool{New: func() any { return new(recorder) }}

// errorResponse builds the JSON error body of the get-scheme contract.
func errorResponse(status int, kind, message string) *Response {
	body, err := json.Marshal(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{kind, message})
	if err != nil {
		// Two strings always marshal; keep a valid body regardless.
		body = []byte(`{"error":"` + kind + `"}`)
	}
	return &Response{
		StatusCode: status,
		Headers: Headers{
			"Content-Type":  {"application/json; charset=utf-8"},
			"Cache-Control": {"no-store"},
		},
		Body: string(body),
	}
}
