package store_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/costest"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/store/storetest"
)

func fakeCOSStore(t *testing.T, f *fakeCOS, now func() time.Time) store.Store {
	t.Helper()
	s, err := store.NewCOS(store.COSConfig{
		Config: cos.Config{
			Bucket: "state-1250000000", Region: "ap-guangzhou",
			Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
			HTTPClient:  &http.Client{Transport: f},
		},
		Prefix: "smsjump/",
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCOSStoreFake runs the conformance suite against the in-process fake,
// so the COS backend's logic is covered even without an S3 server.
func TestCOSStoreFake(t *testing.T) {
	f := newFakeCOS()
	storetest.RunWith(t, func(t *testing.T) store.Store { return fakeCOSStore(t, f, nil) }, storetest.Options{NoListing: true})
}

// TestCOSStoreServer runs the suite against a real S3 server, opened the
// way the functions open it: STORE_URL plus TENCENTCLOUD_* credentials.
func TestCOSStoreServer(t *testing.T) {
	cfg := costest.Config(t)
	costest.SetEnvCredentials(t, costest.Lookup(t))
	storetest.Run(t, func(t *testing.T) store.Store {
		u := store.FillCOSEndpoint("cos://"+cfg.Bucket+"/"+costest.Prefix(t, cfg)+"?region="+cfg.Region, cfg.Endpoint, true)
		s, err := store.Open(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestCOSSetIfAbsentHeaders(t *testing.T) {
	f := newFakeCOS()
	s := fakeCOSStore(t, f, nil)
	ctx := context.Background()
	if ok, err := s.SetIfAbsent(ctx, "lease/job-1", []byte("a"), time.Minute); err != nil || !ok {
		t.Fatalf("first = %v, %v", ok, err)
	}
	if err := s.Set(ctx, "plain", []byte("b"), 0); err != nil {
		t.Fatal(err)
	}
	h := f.putHeaders()
	if h[0].Get("x-cos-forbid-overwrite") != "true" || h[0].Get("If-None-Match") != "*" {
		t.Errorf("SetIfAbsent sent forbid-overwrite=%q If-None-Match=%q; want both", h[0].Get("x-cos-forbid-overwrite"), h[0].Get("If-None-Match"))
	}
	if h[1].Get("x-cos-forbid-overwrite") != "" || h[1].Get("If-None-Match") != "" || h[1].Get("If-Match") != "" {
		t.Errorf("Set sent conditional headers: %v", h[1])
	}
}

// TestCOSSetIfAbsentReplacesExpired walks the replace path with a clock the
// test controls: the right to replace the expired version is a pure create
// (a claim named after its ETag), never an If-Match write; a second racer
// on the same version loses while the claim is fresh.
func TestCOSSetIfAbsentReplacesExpired(t *testing.T) {
	f := newFakeCOS()
	var mu sync.Mutex
	now := time.Unix(1767225600, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := fakeCOSStore(t, f, clock)
	ctx := context.Background()
	if err := s.Set(ctx, "k", []byte("old"), time.Second); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.SetIfAbsent(ctx, "k", []byte("early"), 0); err != nil || ok {
		t.Fatalf("before expiry = %v, %v", ok, err)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if _, err := s.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get at expiry: %v", err)
	}
	if ok, err := s.SetIfAbsent(ctx, "k", []byte("new"), 0); err != nil || !ok {
		t.Fatalf("after expiry = %v, %v", ok, err)
	}
	if v, err := s.Get(ctx, "k"); err != nil || string(v) != "new" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	h := f.putHeaders()
	for _, p := range h {
		if p.Get("If-Match") != "" {
			t.Errorf("a write relied on If-Match: %v", p)
		}
	}
	claim := h[len(h)-2]
	if claim.Get("If-None-Match") != "*" || claim.Get("x-cos-forbid-overwrite") != "true" {
		t.Errorf("the claim was not a pure create: %v", claim)
	}
	// Expire "new" too; two stores race on that version: one claim, one winner.
	if err := s.Set(ctx, "k", []byte("v2"), time.Second); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	other := fakeCOSStore(t, f, clock)
	ok1, err1 := s.SetIfAbsent(ctx, "k", []byte("a"), time.Minute)
	ok2, err2 := other.SetIfAbsent(ctx, "k", []byte("b"), time.Minute)
	if err1 != nil || err2 != nil || ok1 == ok2 {
		t.Fatalf("racers: %v %v / %v %v", ok1, err1, ok2, err2)
	}
	// A claim whose winner died is taken over once it expires.
	if err := s.Set(ctx, "dead", []byte("x"), time.Second); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	f.failNextPlainPut() // the winner dies between its claim and its write
	if ok, err := s.SetIfAbsent(ctx, "dead", []byte("y"), 0); ok || err == nil {
		t.Fatalf("winner that died: %v %v", ok, err)
	}
	if ok, err := other.SetIfAbsent(ctx, "dead", []byte("z"), 0); ok || err != nil {
		t.Fatalf("while the dead claim is fresh: %v %v", ok, err)
	}
	mu.Lock()
	now = now.Add(31 * time.Second)
	mu.Unlock()
	if ok, err := other.SetIfAbsent(ctx, "dead", []byte("z"), 0); !ok || err != nil {
		t.Fatalf("after the dead claim expired: %v %v", ok, err)
	}
}

// A bucket that ignores create-if-absent (versioning on, or once on) is
// refused at open, naming the bucket setting.
func TestCOSRefusesABucketWithoutExclusiveCreates(t *testing.T) {
	f := newFakeCOS()
	f.versioned = true
	cfg := store.COSConfig{Config: cos.Config{
		Bucket: "state-1250000000", Region: "ap-guangzhou",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
		HTTPClient:  &http.Client{Transport: f},
	}, Prefix: "smsjump/"}
	_, err := store.OpenCOS(context.Background(), cfg, nil)
	if !errors.Is(err, store.ErrConfig) || !strings.Contains(err.Error(), "版本控制") || !strings.Contains(err.Error(), "state-1250000000") {
		t.Fatalf("versioned bucket: %v", err)
	}
	f.versioned = false
	if s, err := store.OpenCOS(context.Background(), cfg, nil); err != nil {
		t.Fatalf("plain bucket: %v", err)
	} else {
		s.Close()
	}
}

func TestParseCOSURL(t *testing.T) {
	tests := []struct {
		raw     string
		want    store.COSConfig
		wantErr string
	}{
		{raw: "cos://state-1250000000/smsjump?region=ap-guangzhou",
			want: store.COSConfig{Config: cos.Config{Bucket: "state-1250000000", Region: "ap-guangzhou"}, Prefix: "smsjump/"}},
		{raw: "cos://state-1250000000?region=ap-shanghai",
			want: store.COSConfig{Config: cos.Config{Bucket: "state-1250000000", Region: "ap-shanghai"}}},
		{raw: "cos://test/a/b/?region=ap-guangzhou&endpoint=http://127.0.0.1:7070&path_style=true",
			want: store.COSConfig{Config: cos.Config{Bucket: "test", Region: "ap-guangzhou", Endpoint: "http://127.0.0.1:7070", PathStyle: true}, Prefix: "a/b/"}},
		{raw: "cos://state-1250000000/x", wantErr: "region"},
		{raw: "cos:///x?region=ap-guangzhou", wantErr: "needs a bucket"},
		{raw: "cos://state/x?region=ap-guangzhou", wantErr: "<name>-<appid>"},
		{raw: "cos://id:key@state-1250000000/x?region=ap-guangzhou", wantErr: "must not carry credentials"},
		{raw: "cos://state-1250000000/x?region=ap-guangzhou&regoin=x", wantErr: `unknown parameter "regoin"`},
		{raw: "cos://state-1250000000/x?region=ap-guangzhou&path_style=maybe", wantErr: "path_style"},
		{raw: "cos://state-1250000000/x?region=ap-guangzhou&endpoint=ftp://x", wantErr: "COS_ENDPOINT"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u, err := url.Parse(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := store.ParseCOSURL(u)
			if tt.wantErr != "" {
				if !errors.Is(err, store.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrConfig mentioning %q", err, tt.wantErr)
				}
				if strings.Contains(tt.raw, "key@") && strings.Contains(err.Error(), "key@") {
					t.Errorf("error echoes credentials: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestOpenCOSScheme(t *testing.T) {
	// The URL parses whatever the scheme's case; opening then checks the
	// bucket, which fails here (no credentials, no server), not as ErrConfig
	// of the URL.
	t.Setenv("TENCENTCLOUD_SECRETID", "")
	if _, err := store.Open(context.Background(), "COS://state-1250000000/p?region=ap-guangzhou&endpoint=http://127.0.0.1:1&path_style=true"); err == nil ||
		!strings.Contains(err.Error(), "create-if-absent check") {
		t.Fatalf("open: %v", err)
	}
	if _, err := store.Open(context.Background(), "cos://state-1250000000/p"); !errors.Is(err, store.ErrConfig) {
		t.Errorf("missing region: %v", err)
	}
}

func TestCOSStoreErrorKinds(t *testing.T) {
	deny := roundTrip(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 403, Header: http.Header{"Content-Type": {"application/xml"}},
			Body: ioNopCloser(`<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>`)}, nil
	})
	s, err := store.NewCOS(store.COSConfig{Config: cos.Config{
		Bucket: "state-1250000000", Region: "ap-guangzhou", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
		HTTPClient:  &http.Client{Transport: deny},
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Get(context.Background(), "k")
	if !errors.Is(err, store.ErrConfig) || !errors.Is(err, cos.ErrAccessDenied) || !strings.Contains(err.Error(), "TENCENTCLOUD_SECRETKEY") {
		t.Errorf("denied: %v", err)
	}
	down := roundTrip(func(*http.Request) (*http.Response, error) { return nil, errors.New("connection refused") })
	s, _ = store.NewCOS(store.COSConfig{Config: cos.Config{
		Bucket: "state-1250000000", Region: "ap-guangzhou", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
		HTTPClient:  &http.Client{Transport: down},
	}}, nil)
	if err := s.Set(context.Background(), "k", []byte("v"), 0); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("down: %v", err)
	}
}

func TestFillCOSEndpoint(t *testing.T) {
	tests := []struct {
		in, ep string
		ps     bool
		want   string
	}{
		{"cos://b-1250000000/p?region=ap-guangzhou", "http://127.0.0.1:7070", true,
			"cos://b-1250000000/p?endpoint=http%3A%2F%2F127.0.0.1%3A7070&path_style=true&region=ap-guangzhou"},
		{"cos://b-1250000000/p?region=ap-guangzhou&endpoint=http://x:1", "http://127.0.0.1:7070", false,
			"cos://b-1250000000/p?endpoint=http%3A%2F%2Fx%3A1&region=ap-guangzhou"},
		{"cos://b-1250000000/p?region=ap-guangzhou", "", false, "cos://b-1250000000/p?region=ap-guangzhou"},
		{"redis://:pw@10.0.0.1:6379/0", "http://127.0.0.1:7070", true, "redis://:pw@10.0.0.1:6379/0"},
		{"bolt:///var/state.db", "http://x", true, "bolt:///var/state.db"},
	}
	for _, tt := range tests {
		if got := store.FillCOSEndpoint(tt.in, tt.ep, tt.ps); got != tt.want {
			t.Errorf("FillCOSEndpoint(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func ioNopCloser(s string) *nopBody { return &nopBody{strings.NewReader(s)} }

type nopBody struct{ *strings.Reader }

func (nopBody) Close() error { return nil }

// TestCOSSetIfAbsentAnswerLost: the create reaches the server and succeeds,
// but its answer is lost (the connection drops). Repeating it would be
// refused as "exists", by our own write, and the store would report the
// key taken by someone else. The store must instead say it does not know:
// an ErrUnavailable error, never (false, nil).
func TestCOSSetIfAbsentAnswerLost(t *testing.T) {
	cfg := costest.Config(t)
	prefix := costest.Prefix(t, cfg)
	upstream, err := url.Parse(cfg.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	var dropped atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := r.Clone(r.Context())
		out.RequestURI, out.URL.Scheme, out.URL.Host = "", upstream.Scheme, upstream.Host
		out.Host = r.Host // the signed host
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		if r.Method == http.MethodPut && r.Header.Get("If-None-Match") == "*" && resp.StatusCode == http.StatusOK &&
			!strings.Contains(r.URL.Path, "~probe-") && dropped.CompareAndSwap(false, true) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	viaProxy := cfg
	viaProxy.Endpoint = proxy.URL
	s, err := store.OpenCOS(t.Context(), store.COSConfig{Config: viaProxy, Prefix: prefix}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ok, err := s.SetIfAbsent(t.Context(), "lease/job-1", []byte("me"), time.Minute)
	if !dropped.Load() {
		t.Fatal("no answer was dropped: the fault was not injected")
	}
	if err == nil || !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("SetIfAbsent after its answer was lost = %v, %v; want ErrUnavailable (it may have created the key)", ok, err)
	}
	// The create did happen: the key is held, by this caller.
	if ok, err := s.SetIfAbsent(t.Context(), "lease/job-1", []byte("other"), time.Minute); ok || err != nil {
		t.Fatalf("second SetIfAbsent = %v, %v; want false: the first create reached the server", ok, err)
	}
	if v, err := s.Get(t.Context(), "lease/job-1"); err != nil || string(v) != "me" {
		t.Fatalf("Get = %q, %v; want the lost create's value", v, err)
	}
}
