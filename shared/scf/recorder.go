package scf

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// recorder is the http.ResponseWriter handed to the handler; it keeps what a
// net/http server would have sent.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
	// spare is a cleared header map to reuse, kept by keepHeader.
	spare http.Header
}

// reset readies w for a handler. The header map is the spare one, else new.
func (w *recorder) reset() {
	h := w.spare
	if h == nil {
		h = make(http.Header, 8)
	}
	*w = recorder{header: h, body: w.body}
	w.body.Reset()
}

// keepHeader keeps w's header map, cleared, for the next handler: the
// response that held it is encoded and gone. A map grown large is let go,
// as clearing costs its capacity.
func (w *recorder) keepHeader() {
	if w.header == nil { // no handler ran
		return
	}
	if len(w.header) <= 16 {
		clear(w.header)
		w.spare = w.header
	}
	w.header = nil
}

// giveHeader lets the response keep w's header map.
func (w *recorder) giveHeader() { w.header = nil }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	// Like net/http, 1xx informational headers are not the final status.
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		return
	}
	w.status, w.wroteHeader = code, true
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}

func (w *recorder) WriteString(s string) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.WriteString(s)
}

// Flush is a no-op: the integrated response is sent whole.
func (w *recorder) Flush() {}

// fill sets resp to the integrated response of what the handler wrote.
// With borrowBody, a text body is not copied: resp.Body is a view of w's
// buffer, valid until w is reset, so the caller encodes resp first.
func (w *recorder) fill(resp *Response, borrowBody bool) {
	status := w.status
	if !w.wroteHeader {
		status = http.StatusOK
	}
	body := w.body.Bytes()
	h := w.header
	// net/http sniffs a missing Content-Type; do the same so that the handler
	// behaves identically under httptest, the emulator and SCF.
	if _, set := h["Content-Type"]; !set && len(body) > 0 {
		h.Set("Content-Type", http.DetectContentType(body))
	}

	// The usual case: every name has one value (or is Set-Cookie), so the
	// handler's map is the response's, without a copy.
	*resp = Response{StatusCode: status, Headers: Headers(h)}
	if needsJoin(h) {
		resp.Headers = make(Headers, len(h))
		joinHeaders(resp.Headers, h)
	}
	if binaryBody(body, h.Get("Content-Encoding")) {
		resp.Body = base64.StdEncoding.EncodeToString(body)
		resp.IsBase64Encoded = true
	} else if borrowBody {
		resp.Body = unsafe.String(unsafe.SliceData(body), len(body))
	} else {
		resp.Body = string(body)
	}
}

// joinHeaders copies h into dst, dropping empty names and joining repeated
// values.
func joinHeaders(dst Headers, h http.Header) {
	for k, vs := range h {
		switch {
		case len(vs) == 0:
		case len(vs) == 1 || k == "Set-Cookie":
			// Set-Cookie values cannot be joined (RFC 6265 §3); API Gateway
			// documents an array for repeated names. Every other repeated
			// header is a comma-separated list by RFC 9110 §5.3, and joining
			// it works on the Function URL too, whose doc shows strings only.
			dst[k] = vs
		default:
			dst[k] = []string{strings.Join(vs, ", ")}
		}
	}
}

// needsJoin reports whether some header of h is empty or repeated (other
// than Set-Cookie) and so must be dropped or joined for the response.
func needsJoin(h http.Header) bool {
	for k, vs := range h {
		if len(vs) != 1 && (len(vs) == 0 || k != "Set-Cookie") {
			return true
		}
	}
	return false
}

// binaryBody reports whether the body must travel base64-encoded: it is not
// UTF-8 text (JSON strings cannot hold it) or it is compressed.
func binaryBody(body []byte, contentEncoding string) bool {
	if len(body) == 0 {
		return false
	}
	if contentEncoding != "" && !strings.EqualFold(contentEncoding, "identity") {
		return true
	}
	return !utf8.Valid(body)
}
