package scf

import (
	"encoding/json"
	"strconv"

	"github.com/smsjump/smsjump/shared/jsonstr"
)

// Response is the integrated response an event function returns to a
// Function URL or API Gateway:
//
//	{"statusCode":200,"headers":{"Content-Type":"text/html"},"body":"…","isBase64Encoded":false}
//
// API Gateway's doc (cloud.tencent.com/document/product/583/12513, 集成响应)
// allows a header value to be a string or an array of strings for a name sent
// several times; the Function URL doc shows strings only. It also says the
// Location header is not supported in an integrated response: a redirect
// must not rely on it.
type Response struct {
	StatusCode      int     `json:"statusCode"`
	Headers         Headers `json:"headers"`
	Body            string  `json:"body"`
	IsBase64Encoded bool    `json:"isBase64Encoded"`
}

// Headers are response headers. A name with one value is written as a JSON
// string, with several as an array of strings (API Gateway's
// `key:[value,value]` form). Decoding accepts both.
type Headers map[string][]string

// UnmarshalJSON implements json.Unmarshaler.
func (h *Headers) UnmarshalJSON(data []byte) error {
	var m MultiValues
	if err := m.UnmarshalJSON(data); err != nil {
		return err
	}
	*h = Headers(m)
	return nil
}

// MarshalJSON implements json.Marshaler with sorted names.
func (h Headers) MarshalJSON() ([]byte, error) {
	return h.appendJSON(nil), nil
}

func (h Headers) appendJSON(dst []byte) []byte {
	if h == nil {
		return append(dst, "{}"...)
	}
	// One pass over the map into a small array, sorted by insertion: a
	// response has a handful of headers.
	type header struct {
		name   string
		values []string
	}
	var small [16]header
	hs := small[:0]
	for k, vs := range h {
		if len(vs) == 0 {
			continue
		}
		hs = append(hs, header{k, vs})
		for i := len(hs) - 1; i > 0 && hs[i].name < hs[i-1].name; i-- {
			hs[i], hs[i-1] = hs[i-1], hs[i]
		}
	}
	dst = append(dst, '{')
	for i, e := range hs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonstr.Append(dst, e.name, 0)
		dst = append(dst, ':')
		if len(e.values) == 1 {
			dst = jsonstr.Append(dst, e.values[0], 0)
			continue
		}
		dst = append(dst, '[')
		for j, v := range e.values {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = jsonstr.Append(dst, v, 0)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// MarshalJSON implements json.Marshaler. The hand-written encoder keeps the
// hot path of every get-scheme request free of reflection.
func (r Response) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 64+len(r.Body)+32*len(r.Headers))), nil
}

// AppendJSON appends the JSON form of r to dst.
func (r *Response) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"statusCode":`...)
	dst = strconv.AppendInt(dst, int64(r.StatusCode), 10)
	dst = append(dst, `,"headers":`...)
	dst = r.Headers.appendJSON(dst)
	dst = append(dst, `,"body":`...)
	dst = jsonstr.Append(dst, r.Body, 0)
	dst = append(dst, `,"isBase64Encoded":`...)
	dst = strconv.AppendBool(dst, r.IsBase64Encoded)
	return append(dst, '}')
}

// ParseResponse decodes an integrated response, e.g. one recorded by the
// local emulator or a test.
func ParseResponse(raw []byte) (*Response, error) {
	var r struct {
		StatusCode      int         `json:"statusCode"`
		Headers         Headers     `json:"headers"`
		Body            string      `json:"body"`
		IsBase64Encoded LenientBool `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, malformed("integrated response: %v", err)
	}
	if r.StatusCode < 100 || r.StatusCode > 999 {
		return nil, malformed("integrated response: statusCode %d", r.StatusCode)
	}
	return &Response{StatusCode: r.StatusCode, Headers: r.Headers, Body: r.Body, IsBase64Encoded: bool(r.IsBase64Encoded)}, nil
}
