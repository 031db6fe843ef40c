package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/scf"
)

func TestCOSEventParses(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	tests := []struct{ name, key string }{
		{"plain", "uploads/spring.csv"},
		{"non-ASCII and space", "uploads/春季 活动.csv"},
		{"nested", "uploads/2026/03/x.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := cosEvent(cosObject{bucket: sandboxBucket, region: "ap-guangzhou", key: tt.key, size: 423, etag: "abc123", at: at, reqID: "r-1"})
			if err != nil {
				t.Fatal(err)
			}
			if k := scf.Kind(raw); k != scf.KindCOS {
				t.Fatalf("scf.Kind = %v, want COS", k)
			}
			objs, err := scf.ParseCOS(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 1 {
				t.Fatalf("%d objects", len(objs))
			}
			o := objs[0]
			want := scf.ObjectCreated{Bucket: "smsjump-1250000000", Region: "ap-guangzhou", Key: tt.key, Size: 423,
				ETag: `"abc123"`, EventName: "cos:ObjectCreated:Put", EventTime: at}
			if o != want {
				t.Errorf("got %+v\nwant %+v", o, want)
			}
		})
	}
}

func TestTimerEventParses(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	for _, spec := range timerSpecs {
		raw, err := timerEvent(spec, at)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := scf.ParseTimer(raw)
		if err != nil {
			t.Fatal(err)
		}
		if ev.TriggerName != spec.name || ev.Message != spec.argument || !ev.Time.Equal(at) {
			t.Errorf("%s: got %+v", spec.name, ev)
		}
	}
}

func TestFunctionURLEventRoundTrip(t *testing.T) {
	tests := []struct {
		name, method, target, body string
		header                     http.Header
		wantPath                   string
	}{
		{"page request", "GET", "/api/scheme?c=demo&k=AB3DE9", "", http.Header{"Origin": {"http://127.0.0.1:8080"}}, "/"},
		{"repeated query", "GET", "/api/scheme/?c=a&c=b&cq=x%20y", "", nil, "/"},
		{"post with body", "POST", "/api/scheme/sub?x=1", `{"a":"中文"}`, http.Header{"Content-Type": {"application/json"}}, "/sub"},
		{"binary body", "POST", "/api/scheme", "\xff\xfe\x00binary", nil, "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			r.RemoteAddr = "127.0.0.1:51234"
			for k, vs := range tt.header {
				r.Header[k] = vs
			}
			raw, err := functionURLEvent(r, apiPath, []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			got, err := scf.NewRequest(context.Background(), raw)
			if err != nil {
				t.Fatalf("scf.NewRequest: %v\n%s", err, raw)
			}
			if got.Method != tt.method || got.URL.Path != tt.wantPath {
				t.Errorf("%s %s, want %s %s", got.Method, got.URL.Path, tt.method, tt.wantPath)
			}
			if q, want := got.URL.Query(), r.URL.Query(); q.Encode() != want.Encode() {
				t.Errorf("query %v, want %v", q, want)
			}
			for k := range tt.header {
				if got.Header.Get(k) != r.Header.Get(k) {
					t.Errorf("header %s = %q, want %q", k, got.Header.Get(k), r.Header.Get(k))
				}
			}
			if ip := scf.ClientIP(got); ip != "127.0.0.1" {
				t.Errorf("client IP %q", ip)
			}
			b, _ := io.ReadAll(got.Body)
			if string(b) != tt.body {
				t.Errorf("body %q, want %q", b, tt.body)
			}
		})
	}
}

func FuzzFunctionURLEvent(f *testing.F) {
	f.Add("c=demo&k=AB3DE9", []byte(""))
	f.Add("a=1&a=2&b", []byte("{\"x\":1}"))
	f.Add("%ZZ=1", []byte{0xff, 0})
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		r := httptest.NewRequest("POST", "/api/scheme", bytes.NewReader(body))
		r.URL.RawQuery = query
		raw, err := functionURLEvent(r, apiPath, body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scf.NewRequest(context.Background(), raw)
		if err != nil {
			t.Fatalf("event the function cannot read: %v\n%s", err, raw)
		}
		b, _ := io.ReadAll(got.Body)
		if !bytes.Equal(b, body) {
			t.Errorf("body %q, want %q", b, body)
		}
	})
}

func TestWriteIntegrated(t *testing.T) {
	tests := []struct {
		name, out  string
		status     int
		body, ctyp string
	}{
		{"integrated", `{"statusCode":404,"headers":{"Content-Type":"application/json"},"body":"{\"error\":\"not_found\"}"}`, 404, `{"error":"not_found"}`, "application/json"},
		{"base64 body", `{"statusCode":200,"headers":{"Content-Type":"image/png"},"body":"aGk=","isBase64Encoded":true}`, 200, "hi", "image/png"},
		{"plain JSON result", `{"openlink":"weixin://x"}`, 200, `{"openlink":"weixin://x"}`, "application/json"},
		{"bad base64", `{"statusCode":200,"headers":{},"body":"%%%","isBase64Encoded":"true"}`, 502, "", "application/json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			_ = writeIntegrated(w, []byte(tt.out))
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if tt.body != "" && w.Body.String() != tt.body {
				t.Errorf("body %q, want %q", w.Body.String(), tt.body)
			}
			if ct := w.Header().Get("Content-Type"); ct != tt.ctyp {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctyp)
			}
		})
	}
}

func BenchmarkFunctionURLEvent(b *testing.B) {
	r := httptest.NewRequest("GET", "/api/scheme?c=spring&k=AB3DE9&cq=from%3Dsms", nil)
	r.Header.Set("Origin", "https://h5.example.cn")
	r.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := functionURLEvent(r, apiPath, nil); err != nil {
			b.Fatal(err)
		}
	}
}
