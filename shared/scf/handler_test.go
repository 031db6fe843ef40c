package scf

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/internal/cputime"
)

// echo answers with what it saw, so a test can check the whole trip.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `{"method":%q,"uri":%q,"ip":%q,"id":%q,"body":%q}`, r.Method, r.RequestURI, ClientIP(r), RequestID(r), b)
})

func TestServeEventGolden(t *testing.T) {
	resp := ServeEvent(context.Background(), echo, readTestdata(t, "http_apigw_doc.json"))
	got := string(resp.AppendJSON(nil))
	want := `{"statusCode":201,"headers":{"Cache-Control":"no-store","Content-Type":"application/json"},` +
		`"body":"{\"method\":\"POST\",\"uri\":\"/test/value?bob=alice\u0026foo=bar\",\"ip\":\"10.0.2.14\",` +
		`\"id\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"body\":\"{\\\"test\\\":\\\"body\\\"}\"}","isBase64Encoded":false}`
	// %q in echo writes & literally; the JSON encoder keeps it literal too.
	want = strings.ReplaceAll(want, `\u0026`, "&")
	if got != want {
		t.Errorf("response JSON\n got %s\nwant %s", got, want)
	}
}

func TestServeEventResponses(t *testing.T) {
	event := readTestdata(t, "http_function_url_doc.json")
	tests := []struct {
		name    string
		h       http.HandlerFunc
		status  int
		headers map[string][]string // exact values; nil slice = absent
		body    string              // after base64 decoding
		base64  bool
	}{
		{
			name:   "implicit 200 and sniffed type",
			h:      func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>hi</html>") },
			status: 200, headers: map[string][]string{"Content-Type": {"text/html; charset=utf-8"}},
			body: "<html>hi</html>",
		},
		{
			name:   "no body, no sniffing",
			h:      func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
			status: 204, headers: map[string][]string{"Content-Type": nil},
		},
		{
			name: "explicitly empty content type is not sniffed",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil
				io.WriteString(w, "x")
			},
			status: 200, headers: map[string][]string{"Content-Type": nil}, body: "x",
		},
		{
			name: "repeated headers: list joined, Set-Cookie kept as array",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Origin")
				w.Header().Add("Vary", "Accept-Encoding")
				w.Header().Add("Set-Cookie", "a=1; Path=/")
				w.Header().Add("Set-Cookie", "b=2; Path=/")
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusTeapot)
				w.WriteHeader(http.StatusInternalServerError) // ignored, as in net/http
			},
			status: 418,
			headers: map[string][]string{
				"Vary":       {"Origin, Accept-Encoding"},
				"Set-Cookie": {"a=1; Path=/", "b=2; Path=/"},
			},
		},
		{
			name: "1xx is not the final status",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusAccepted)
			},
			status: 202,
		},
		{
			name: "binary body goes base64",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/png")
				w.Write([]byte{0x89, 'P', 'N', 'G', 0xff, 0x00})
			},
			status: 200, body: "\x89PNG\xff\x00", base64: true,
		},
		{
			name: "compressed body goes base64 even if it happens to be UTF-8",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				io.WriteString(w, "abc")
			},
			status: 200, body: "abc", base64: true,
		},
		{
			name: "Chinese text stays text",
			h: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				io.WriteString(w, `{"message":"活动已结束"}`)
			},
			status: 200, body: `{"message":"活动已结束"}`,
		},
		{
			name: "Location passes through untouched",
			h: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "weixin://dl/business/?t=abc", http.StatusFound)
			},
			status: 302, headers: map[string][]string{"Location": {"weixin://dl/business/?t=abc"}},
		},
		{
			name:   "panic becomes 500",
			h:      func(w http.ResponseWriter, r *http.Request) { panic("boom") },
			status: 500, headers: map[string][]string{"Content-Type": {"application/json; charset=utf-8"}},
			body: `{"error":"internal","message":"internal error"}`,
		},
	}
	quiet(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := ServeEvent(context.Background(), tt.h, event)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			for k, want := range tt.headers {
				if got := resp.Headers[k]; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if resp.IsBase64Encoded != tt.base64 {
				t.Errorf("isBase64Encoded = %t, want %t", resp.IsBase64Encoded, tt.base64)
			}
			body := resp.Body
			if resp.IsBase64Encoded {
				b, err := base64.StdEncoding.DecodeString(body)
				if err != nil {
					t.Fatal(err)
				}
				body = string(b)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
		})
	}
}

func TestServeEventBadRequest(t *testing.T) {
	quiet(t)
	called := false
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })
	for _, raw := range []string{
		`not json`,
		`{"httpMethod":"POST","path":"/","isBase64Encoded":true,"body":"%%%"}`,
		`{"Type":"Timer","TriggerName":"x","Time":"2019-02-21T11:49:00Z"}`,
	} {
		resp := ServeEvent(context.Background(), h, []byte(raw))
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", raw, resp.StatusCode)
		}
		var body struct{ Error, Message string }
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil || body.Error != "bad_request" || body.Message == "" {
			t.Errorf("%s: body %s (%v), want a bad_request error", raw, resp.Body, err)
		}
		if got := resp.Headers["Cache-Control"]; len(got) != 1 || got[0] != "no-store" {
			t.Errorf("%s: Cache-Control %q", raw, got)
		}
	}
	if called {
		t.Error("handler must not run for an undecodable event")
	}
}

// TestHTTPHandlerAsSCFGoLib drives HTTPHandler the way scf-go-lib does:
// json.Unmarshal the payload into the handler's input type, call it,
// json.Marshal the output.
func TestHTTPHandlerAsSCFGoLib(t *testing.T) {
	fn := HTTPHandler(echo)
	payload := readTestdata(t, "http_no_request_id.json")
	var in json.RawMessage
	if err := json.Unmarshal(payload, &in); err != nil {
		t.Fatal(err)
	}
	out, err := fn(context.Background(), in)
	if err != nil {
		t.Fatalf("function error: %v", err)
	}
	viaReflection, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := HTTPInvoker(echo).Invoke(context.Background(), payload)
	if err != nil {
		t.Fatal(err)
	}
	// json.Marshal HTML-escapes what MarshalJSON returns (& → \u0026), so
	// compare meaning, not bytes.
	back, err := ParseResponse(direct)
	if err != nil {
		t.Fatal(err)
	}
	back2, err := ParseResponse(viaReflection)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(*back) != fmt.Sprint(*back2) {
		t.Errorf("HTTPHandler and HTTPInvoker disagree:\n%s\n%s", viaReflection, direct)
	}
	if back.StatusCode != http.StatusCreated || !strings.Contains(back.Body, `"id":"hdr-5d6e7f"`) {
		t.Errorf("decoded response %+v", back)
	}
}

func TestHTTPInvokerNonJSONPayload(t *testing.T) {
	quiet(t)
	out, err := HTTPInvoker(echo).Invoke(context.Background(), []byte("\x00\x01garbage"))
	if err != nil {
		t.Fatalf("function error: %v", err)
	}
	resp, err := ParseResponse(out)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", resp.StatusCode)
	}
}

func TestErrorKinds(t *testing.T) {
	_, err := NewRequest(context.Background(), []byte(`{"Type":"Timer"}`))
	if !errors.Is(err, ErrWrongKind) || errors.Is(err, ErrMalformed) {
		t.Errorf("timer as HTTP: %v", err)
	}
}

// quiet silences the default logger for the test's duration.
func quiet(t testing.TB) {
	t.Helper()
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	t.Cleanup(func() { slog.SetDefault(prev) })
}

// BenchmarkAdapter measures one get-scheme-like request end to end: event JSON
// → *http.Request → a handler writing a small JSON body → response JSON.
func BenchmarkAdapter(b *testing.B) {
	event := []byte(`{"body":"","headers":{"accept":"*/*","host":"1250000000-abc.ap-guangzhou.tencentscf.com",` +
		`"user-agent":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)","x-scf-remote-addr":"111.206.96.145"},` +
		`"httpMethod":"GET","path":"/","queryString":{"c":"spring","k":"Ab3xY9"}}`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, `{"openlink":"weixin://dl/business/?t=AbCdEfGhIjK","expires_at":1767225600,"mode":"encrypted"}`)
	})
	ctx := context.Background()

	b.Run("HTTPInvoker", func(b *testing.B) {
		inv := HTTPInvoker(h)
		b.ReportAllocs()
		stop := cputime.PerOp(b)
		for b.Loop() {
			if _, err := inv.Invoke(ctx, event); err != nil {
				b.Fatal(err)
			}
		}
		stop()
	})
	// The scf-go-lib path: Unmarshal into json.RawMessage, call, json.Marshal.
	b.Run("HTTPHandler", func(b *testing.B) {
		fn := HTTPHandler(h)
		b.ReportAllocs()
		for b.Loop() {
			var in json.RawMessage
			if err := json.Unmarshal(event, &in); err != nil {
				b.Fatal(err)
			}
			out, err := fn(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := json.Marshal(out); err != nil {
				b.Fatal(err)
			}
		}
	})
}
