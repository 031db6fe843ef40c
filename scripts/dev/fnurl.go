package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/scf/host"
)

// maxRequestBody is SCF's synchronous event limit less room for the envelope.
const maxRequestBody = host.MaxSyncPayload - 64<<10

// urlEvent is the Function URL request event as SCF sends it (see PLATFORM.md
// "Event shapes"): single-valued headers with lower-case names, the query as
// strings (an array when a name repeats), the client IP in x-scf-remote-addr.
type urlEvent struct {
	HTTPMethod      string            `json:"httpMethod"`
	Path            string            `json:"path"`
	Headers         map[string]string `json:"headers"`
	QueryString     map[string]any    `json:"queryString"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded,omitempty"`
}

// functionURLEvent encodes r as the event get-scheme's Function URL would
// deliver. prefix is the mount point stripped from the path: the function
// sees its URL's root as "/".
func functionURLEvent(r *http.Request, prefix string, body []byte) ([]byte, error) {
	ev := urlEvent{
		HTTPMethod:  r.Method,
		Path:        "/" + strings.TrimLeft(strings.TrimPrefix(r.URL.Path, prefix), "/"),
		Headers:     map[string]string{},
		QueryString: map[string]any{},
	}
	for name, vs := range r.Header {
		ev.Headers[strings.ToLower(name)] = strings.Join(vs, ",")
	}
	if r.Host != "" {
		ev.Headers["host"] = r.Host
	}
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ev.Headers["x-scf-remote-addr"] = ip
	}
	for name, vs := range r.URL.Query() {
		if len(vs) == 1 {
			ev.QueryString[name] = vs[0]
		} else {
			ev.QueryString[name] = vs
		}
	}
	if utf8.Valid(body) {
		ev.Body = string(body)
	} else {
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	return json.Marshal(ev)
}

// functionURL serves an http.Handler that invokes pool once per request, as
// a Function URL does, and writes the integrated response back.
type functionURL struct {
	pool   *host.Pool
	prefix string
	log    *slog.Logger
}

func (f *functionURL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		writeGatewayError(w, http.StatusRequestEntityTooLarge, "request_too_large", "request body exceeds the Function URL limit")
		return
	}
	ev, err := functionURLEvent(r, f.prefix, body)
	if err != nil {
		writeGatewayError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	out, err := f.pool.Invoke(r.Context(), ev, host.InvokeOptions{})
	if err != nil {
		status, kind := gatewayStatus(err)
		f.log.Warn("function URL invocation failed", "path", r.URL.Path, "status", status, "err", err)
		writeGatewayError(w, status, kind, err.Error())
		return
	}
	if err := writeIntegrated(w, out); err != nil {
		f.log.Warn("function URL response", "err", err)
	}
}

// writeIntegrated writes a function's result as SCF's gateway does: an
// integrated response as such; any other JSON as a 200 application/json body.
func writeIntegrated(w http.ResponseWriter, out []byte) error {
	resp, err := scf.ParseResponse(out)
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		_, err = w.Write(out)
		return err
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if body, err = base64.StdEncoding.DecodeString(resp.Body); err != nil {
			writeGatewayError(w, http.StatusBadGateway, "bad_function_response", "isBase64Encoded body is not base64")
			return fmt.Errorf("decode body: %w", err)
		}
	}
	for name, vs := range resp.Headers {
		for _, v := range vs {
			w.Header().Add(name, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, err = w.Write(body)
	return err
}

// gatewayStatus maps an invocation failure to what the platform answers.
func gatewayStatus(err error) (int, string) {
	var fe *host.FunctionError
	switch {
	case errors.As(err, &fe):
		return http.StatusBadGateway, "function_error"
	case errors.Is(err, host.ErrTimeout):
		return http.StatusGatewayTimeout, "function_timeout"
	case errors.Is(err, host.ErrPayloadTooLarge):
		return http.StatusRequestEntityTooLarge, "payload_too_large"
	case errors.Is(err, context.Canceled):
		return 499, "client_closed"
	}
	return http.StatusServiceUnavailable, "function_unavailable"
}

func writeGatewayError(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": kind, "message": msg})
}
