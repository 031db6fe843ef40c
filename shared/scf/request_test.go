package scf

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewRequest(t *testing.T) {
	tests := []struct {
		file       string
		method     string
		uri        string // RequestURI: path and sorted query
		host       string
		headers    map[string]string // canonical name → Header.Get value
		body       string
		requestID  string
		clientIP   string
		remoteAddr string
	}{
		{
			file: "http_function_url_doc.json", method: "POST", uri: "/?a=1&b=2",
			headers:  map[string]string{"Accept": "*/*", "Content-Length": "17"},
			body:     `{"test":"hello world"}`,
			clientIP: "111.206.96.145", remoteAddr: "111.206.96.145:0",
		},
		{
			file: "http_apigw_doc.json", method: "POST", uri: "/test/value?bob=alice&foo=bar",
			host: "service-3ei3tii4-251000691.ap-guangzhou.apigateway.myqloud.com",
			headers: map[string]string{
				"Accept-Language": "en-US,en,cn",
				"User-Agent":      "User Agent String",
				"Refer":           "10.0.2.14", // from headerParameters
			},
			body:      `{"test":"body"}`,
			requestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
			clientIP:  "10.0.2.14", remoteAddr: "10.0.2.14:0",
		},
		{
			// isBase64Encoded "true", lower-case method, mixed-case header
			// names, stage prefix kept in the path.
			file: "http_apigw_string_bool.json", method: "POST", uri: "/release/scheme?c=spring",
			host:      "service-abc-1250000000.gz.apigw.tencentcs.com",
			headers:   map[string]string{"Content-Type": "application/json", "User-Agent": "Mozilla/5.0"},
			body:      `{"c":"spring","名字":"春节"}`,
			requestID: "0a1b2c3d-string-bool",
			// X-Forwarded-For is ignored: clients set it.
			clientIP: "203.0.113.9", remoteAddr: "203.0.113.9:0",
		},
		{
			// isBase64Encoded "false": the body is taken as is; method from
			// requestContext.
			file: "http_apigw_string_false.json", method: "GET", uri: "/",
			host: "example.apigw.tencentcs.com", body: "aGVsbG8=",
			requestID: "str-false", clientIP: "198.51.100.7", remoteAddr: "198.51.100.7:0",
		},
		{
			// Query values as string, array, bool, number and null; header
			// value as an array; IPv6 client.
			file: "http_query_shapes.json", method: "GET",
			uri:      "/?c=spring&debug=&k=Ab3xY9&n=42&tag=a&tag=b",
			headers:  map[string]string{"Accept": "application/json"},
			clientIP: "2001:db8::1", remoteAddr: "[2001:db8::1]:0",
		},
		{
			// No requestContext.requestId: the X-Api-RequestId header has it.
			// headerParameters fills gaps but does not override headers.
			file: "http_no_request_id.json", method: "GET", uri: "/release/s?c=spring&k=Ab3xY9",
			host:      "h5.example.cn",
			headers:   map[string]string{"X-Campaign": "spring"},
			requestID: "hdr-5d6e7f", clientIP: "192.0.2.44", remoteAddr: "192.0.2.44:0",
		},
		{
			// A gateway (TSE, legacy API Gateway) passes client headers on:
			// its x-scf-remote-addr is forged, only sourceIp is trusted.
			file: "http_tse_spoofed_remote_addr.json", method: "GET", uri: "/scheme?c=spring&k=Ab3xY9",
			host:      "tse.example.cn",
			headers:   map[string]string{"X-Scf-Remote-Addr": "10.9.9.9"},
			requestID: "tse-spoof-1", clientIP: "198.51.100.23", remoteAddr: "198.51.100.23:0",
		},
		{
			// Binary body flagged with a real boolean; encoded path.
			file: "http_function_url_base64.json", method: "PUT", uri: "/upload/%E6%98%A5.png",
			headers:  map[string]string{"Content-Type": "image/png"},
			body:     "\x89PNG\r\n\x1a\n\xff\x00",
			clientIP: "111.206.96.145", remoteAddr: "111.206.96.145:0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := NewRequest(context.Background(), readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("NewRequest: %v", err)
			}
			if r.Method != tt.method {
				t.Errorf("Method = %q, want %q", r.Method, tt.method)
			}
			if got := r.URL.RequestURI(); got != tt.uri {
				t.Errorf("URL = %q, want %q", got, tt.uri)
			}
			if r.RequestURI != tt.uri {
				t.Errorf("RequestURI = %q, want %q", r.RequestURI, tt.uri)
			}
			if r.Host != tt.host {
				t.Errorf("Host = %q, want %q", r.Host, tt.host)
			}
			for k, v := range tt.headers {
				if got := r.Header.Get(k); got != v {
					t.Errorf("Header[%s] = %q, want %q", k, got, v)
				}
			}
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if r.ContentLength != int64(len(tt.body)) {
				t.Errorf("ContentLength = %d, want %d", r.ContentLength, len(tt.body))
			}
			if got := RequestID(r); got != tt.requestID {
				t.Errorf("RequestID = %q, want %q", got, tt.requestID)
			}
			if got := ClientIP(r); got != tt.clientIP {
				t.Errorf("ClientIP = %q, want %q", got, tt.clientIP)
			}
			if r.RemoteAddr != tt.remoteAddr {
				t.Errorf("RemoteAddr = %q, want %q", r.RemoteAddr, tt.remoteAddr)
			}
		})
	}
}

func TestNewRequestQueryDetails(t *testing.T) {
	r, err := NewRequest(context.Background(), readTestdata(t, "http_query_shapes.json"))
	if err != nil {
		t.Fatal(err)
	}
	q := r.URL.Query()
	if got := q["tag"]; len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("tag = %q, want [a b]", got)
	}
	if _, ok := q["debug"]; !ok {
		t.Error("debug (true) should be present with an empty value")
	}
	for _, k := range []string{"off", "none"} {
		if _, ok := q[k]; ok {
			t.Errorf("%s (false/null) should be absent", k)
		}
	}
	if got := q.Get("c"); got != "spring" {
		t.Errorf("c = %q: queryString must win over queryStringParameters", got)
	}
	if got := r.Header.Values("Accept"); len(got) != 2 {
		t.Errorf("Accept values = %q, want 2", got)
	}
}

func TestNewRequestErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want error
	}{
		{"bad base64", readTestdata(t, "http_bad_base64.json"), ErrMalformed},
		{"object query value", readTestdata(t, "http_bad_query.json"), ErrMalformed},
		{"bad method", readTestdata(t, "http_bad_method.json"), ErrMalformed},
		{"bad percent path", []byte(`{"httpMethod":"GET","path":"/%zz"}`), ErrMalformed},
		{"not JSON", []byte(`GET / HTTP/1.1`), ErrMalformed},
		{"JSON array", []byte(`[1,2]`), ErrMalformed},
		{"bool as number", []byte(`{"httpMethod":"GET","path":"/","isBase64Encoded":1}`), ErrMalformed},
		{"timer event", readTestdata(t, "timer_doc.json"), ErrWrongKind},
		{"cos event", readTestdata(t, "cos_doc.json"), ErrWrongKind},
		{"empty object", []byte(`{}`), ErrWrongKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRequest(context.Background(), tt.raw)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (request %v)", err, tt.want, r)
			}
		})
	}
}

func TestNewRequestContext(t *testing.T) {
	deadline := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	// A Function URL event has no request id; the invocation's is used.
	ctx = functioncontext.NewContext(ctx, &functioncontext.FunctionContext{RequestID: "invoke-42"})

	r, err := NewRequest(ctx, readTestdata(t, "http_function_url_doc.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := r.Context().Deadline(); !ok || !got.Equal(deadline) {
		t.Errorf("Deadline = %v, %v; want %v", got, ok, deadline)
	}
	if got := RequestID(r); got != "invoke-42" {
		t.Errorf("RequestID = %q, want the invocation id", got)
	}
	cancel()
	if r.Context().Err() == nil {
		t.Error("request context must follow the invocation context")
	}
}

func TestRequestInfoOutsideSCF(t *testing.T) {
	r, err := http.NewRequest(http.MethodGet, "http://example.com/", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.RemoteAddr = "127.0.0.1:54321"
	if got := ClientIP(r); got != "127.0.0.1" {
		t.Errorf("ClientIP = %q, want the RemoteAddr host", got)
	}
	if got := RequestID(r); got != "" {
		t.Errorf("RequestID = %q, want empty", got)
	}
}

// The interned names are exactly what net/http would make of them.
func TestKnownHeadersCanonical(t *testing.T) {
	for k, ck := range knownHeaders {
		if want := http.CanonicalHeaderKey(k); ck != want || canonicalHeaderKey(k) != want {
			t.Errorf("%q interned as %q, net/http says %q", k, ck, want)
		}
	}
}
