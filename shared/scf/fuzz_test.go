package scf

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// addTestdataSeeds seeds f with every fixture, whatever its kind: decoders
// must also survive the other kinds' events.
func addTestdataSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no testdata seeds: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzHTTPEvent(f *testing.F) {
	addTestdataSeeds(f)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Path", r.URL.Path)
		w.Write(b)
	})
	quiet(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := NewRequest(context.Background(), raw)
		if err == nil {
			if r.URL == nil || r.Header == nil || r.Body == nil || r.Method == "" {
				t.Fatalf("incomplete request %+v", r)
			}
			if _, err := io.ReadAll(r.Body); err != nil {
				t.Fatal(err)
			}
			if r.RequestURI != r.URL.RequestURI() || r.URL.RawQuery != Query(r).Encode() {
				t.Fatalf("RequestURI %q RawQuery %q, want %q %q", r.RequestURI, r.URL.RawQuery, r.URL.RequestURI(), Query(r).Encode())
			}
		}
		out, err := HTTPInvoker(h).Invoke(context.Background(), raw)
		if err != nil {
			t.Fatalf("Invoke returned an error: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("invalid response JSON: %q", out)
		}
		if _, err := ParseResponse(out); err != nil {
			t.Fatalf("response does not parse back: %v", err)
		}
	})
}

func FuzzCOSEvent(f *testing.F) {
	addTestdataSeeds(f)
	log := slog.New(slog.DiscardHandler)
	f.Fuzz(func(t *testing.T, raw []byte) {
		objs, err := ParseCOS(raw, log)
		if err != nil {
			return
		}
		for i, o := range objs {
			if o.Bucket == "" || o.Key == "" {
				t.Fatalf("object %d has no bucket or key: %+v", i, o)
			}
		}
	})
}

func FuzzTimerEvent(f *testing.F) {
	addTestdataSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		e, err := ParseTimer(raw)
		if err == nil && e.Time.Location() != nil && e.Time.Location().String() != "UTC" {
			t.Fatalf("time not in UTC: %v", e.Time)
		}
		_ = Kind(raw)
	})
}

func FuzzResponseRoundTrip(f *testing.F) {
	f.Add(200, "Content-Type", "application/json", `{"openlink":"weixin://dl/business/?t=x"}`, false)
	f.Add(302, "Set-Cookie", "a=\"1\"\n", "\xff\xfe\u2028", true)
	f.Fuzz(func(t *testing.T, status int, name, value, body string, b64 bool) {
		in := &Response{StatusCode: status, Headers: Headers{name: {value, value}}, Body: body, IsBase64Encoded: b64}
		raw := in.AppendJSON(nil)
		var std struct {
			StatusCode      int                 `json:"statusCode"`
			Headers         map[string][]string `json:"headers"`
			Body            string              `json:"body"`
			IsBase64Encoded bool                `json:"isBase64Encoded"`
		}
		if err := json.Unmarshal(raw, &std); err != nil {
			t.Fatalf("invalid JSON %q: %v", raw, err)
		}
		// encoding/json is the reference for how invalid UTF-8 is replaced.
		norm := func(s string) string {
			b, _ := json.Marshal(s)
			var out string
			_ = json.Unmarshal(b, &out)
			return out
		}
		if std.StatusCode != status || std.Body != norm(body) || std.IsBase64Encoded != b64 {
			t.Fatalf("round trip changed the response: %q", raw)
		}
		if vs := std.Headers[norm(name)]; len(vs) != 2 || vs[0] != norm(value) {
			t.Fatalf("round trip changed header %q: %q", name, raw)
		}
	})
}

// FuzzFunctionURLDecoder: whatever the one-pass decoder accepts, it decodes
// exactly as encoding/json does.
func FuzzFunctionURLDecoder(f *testing.F) {
	addTestdataSeeds(f)
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"a":"1"},"httpMethod":"POST"}`))
	f.Add([]byte(`{"body":"caf\u00e9 \"x\"","isBase64Encoded":false,"queryString":{"c":["1",true,2],"d":null}}`))
	f.Add([]byte(`{"path":"/\xff"} `))
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast := new(HTTPEvent)
		if !decodeFunctionURL(raw, fast, nil) {
			return
		}
		var ref HTTPEvent
		if err := json.Unmarshal(raw, &ref); err != nil {
			t.Fatalf("one-pass decoder accepted what encoding/json rejects (%v): %q", err, raw)
		}
		if !reflect.DeepEqual(*fast, ref) {
			t.Fatalf("decoders differ on %q:\n one-pass %+v\n reference %+v", raw, *fast, ref)
		}
	})
}

// FuzzNewRequestFastPath: the request NewRequest builds (one-pass decode
// with canonical header names when it can) is the one the reference path
// builds from encoding/json's event.
func FuzzNewRequestFastPath(f *testing.F) {
	addTestdataSeeds(f)
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"accept":"a","Accept":"b","x-scf-remote-addr":"1.2.3.4"}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"accept":"a","accept":null,"host":"h"},"queryString":{"c":"s"}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"x-api-requestid":["r1","r2"],"content-type":"text/plain"},"body":"aGk=","isBase64Encoded":true}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/a b","queryString":{"z":"1","c":["x","y"],"k":[],"a b":"&=","é":true}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","queryString":{"c":"1","c":"2"}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","queryString":{"c":null,"k":false,"cq":3}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":null,"queryString":null}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"x-scf-remote-addr":"2001:db8::1"},"queryString":{"c":"s"}}`))
	f.Add([]byte(`{"httpMethod":"GET","path":"/","headers":{"x-scf-remote-addr":"::ffff:1.2.3.4"}}`))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, gotErr := NewRequest(ctx, raw)
		want, wantErr := func() (*http.Request, error) {
			e := new(HTTPEvent)
			if err := json.Unmarshal(raw, e); err != nil {
				return nil, err
			}
			if e.HTTPMethod == "" && e.RequestContext.HTTPMethod == "" && e.Path == "" {
				return nil, ErrWrongKind
			}
			return e.Request(ctx)
		}()
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("errors differ on %q: %v, reference %v", raw, gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		sorted := func(h http.Header) http.Header {
			out := make(http.Header, len(h))
			for k, vs := range h {
				// Two spellings of one name merge in map order.
				out[k] = slices.Sorted(slices.Values(vs))
			}
			return out
		}
		if got.Header == nil {
			t.Fatalf("nil header map for %q", raw)
		}
		if ip := ClientIP(got); ip != "" && got.RemoteAddr != net.JoinHostPort(ip, "0") {
			t.Fatalf("RemoteAddr %q for client %q on %q", got.RemoteAddr, ip, raw)
		}
		names := []string{"c", "k", "missing"}
		for k := range Query(want) {
			names = append(names, k)
		}
		for _, k := range names {
			if QueryValue(got, k) != Query(want).Get(k) || QueryValue(want, k) != Query(want).Get(k) {
				t.Fatalf("QueryValue(%q) = %q / %q, want %q, on %q", k, QueryValue(got, k), QueryValue(want, k), Query(want).Get(k), raw)
			}
		}
		gb, _ := io.ReadAll(got.Body)
		wb, _ := io.ReadAll(want.Body)
		if got.Method != want.Method || got.URL.String() != want.URL.String() || got.RequestURI != want.RequestURI ||
			got.Host != want.Host || got.RemoteAddr != want.RemoteAddr || got.ContentLength != want.ContentLength ||
			string(gb) != string(wb) || RequestID(got) != RequestID(want) || ClientIP(got) != ClientIP(want) ||
			!reflect.DeepEqual(Query(got), Query(want)) || !reflect.DeepEqual(sorted(got.Header), sorted(want.Header)) {
			t.Fatalf("requests differ on %q:\n got  %+v\n want %+v", raw, got, want)
		}
	})
}
