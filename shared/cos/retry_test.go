package cos_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/cos"
)

// faultServer answers each request with the next scripted fault for its
// operation, then like a permissive S3 server.
type faultServer struct {
	mu     sync.Mutex
	faults map[string][]fault // by operation: "PUT", "GET", "part", "create", "complete", "abort"
	seen   []string           // operations in arrival order
	hdrs   []http.Header
	onOp   func(op string) // called as each request arrives
}

// fault is one scripted answer: an HTTP error, a 200 with an <Error> body,
// or a connection dropped after the request was read.
type fault struct {
	status int
	code   string
	in200  bool
	drop   bool
}

func opOf(r *http.Request) string {
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Has("uploads"):
		return "create"
	case r.Method == http.MethodPost:
		return "complete"
	case r.Method == http.MethodPut && q.Has("partNumber"):
		return "part" + q.Get("partNumber")
	case r.Method == http.MethodDelete && q.Has("uploadId"):
		return "abort"
	}
	return r.Method
}

func (s *faultServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	op := opOf(r)
	s.mu.Lock()
	s.seen = append(s.seen, op)
	s.hdrs = append(s.hdrs, r.Header.Clone())
	var f *fault
	if fs := s.faults[op]; len(fs) > 0 {
		f = &fs[0]
		s.faults[op] = fs[1:]
	}
	s.mu.Unlock()
	if s.onOp != nil {
		s.onOp(op)
	}
	if f != nil {
		switch {
		case f.drop:
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		case f.in200:
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<Error><Code>`+f.code+`</Code><Message>late failure</Message></Error>`)
		default:
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(f.status)
			_, _ = io.WriteString(w, `<Error><Code>`+f.code+`</Code><Message>scripted</Message></Error>`)
		}
		return
	}
	w.Header().Set("ETag", `"etag-`+op+`"`)
	switch {
	case op == "create":
		_, _ = io.WriteString(w, `<InitiateMultipartUploadResult><UploadId>up-7</UploadId></InitiateMultipartUploadResult>`)
	case op == "complete":
		_, _ = io.WriteString(w, `<CompleteMultipartUploadResult><ETag>"whole-3"</ETag></CompleteMultipartUploadResult>`)
	case op == "abort":
		w.WriteHeader(http.StatusNoContent)
	case op == "GET":
		_, _ = io.WriteString(w, "hello")
	}
}

func (s *faultServer) ops() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.seen, ",")
}

// faultClient is a client of srv with the default 3 attempts and no backoff.
func faultClient(t *testing.T, srv *faultServer, doer cos.HTTPDoer) *cos.Client {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	if doer == nil {
		doer = ts.Client()
	}
	c, err := cos.NewClient(cos.Config{
		Bucket: "campaigns-1250000000", Region: "ap-guangzhou", Endpoint: ts.URL, PathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
		HTTPClient:  doer,
	})
	if err != nil {
		t.Fatal(err)
	}
	cos.NoBackoff(c)
	return c
}

func TestRetryTransientThenSuccess(t *testing.T) {
	ctx := context.Background()
	for _, f := range []fault{
		{status: 500, code: "InternalError"},
		{status: 503, code: "SlowDown"},
		{status: 503, code: "ServiceUnavailable"},
		{drop: true},
	} {
		srv := &faultServer{faults: map[string][]fault{"PUT": {f}, "GET": {f}}}
		c := faultClient(t, srv, nil)
		if _, err := c.Put(ctx, "k", []byte("v"), cos.PutOptions{}); err != nil {
			t.Errorf("put after %+v: %v", f, err)
		}
		obj, err := c.Get(ctx, "k", 0, -1)
		if err != nil {
			t.Errorf("get after %+v: %v", f, err)
		} else {
			obj.Body.Close()
		}
		if got := srv.ops(); got != "PUT,PUT,GET,GET" {
			t.Errorf("after %+v the server saw %s, want each operation twice", f, got)
		}
		// One operation, two attempts: the same invocation id, counted attempts.
		if a, b := srv.hdrs[0], srv.hdrs[1]; a.Get("Amz-Sdk-Invocation-Id") != b.Get("Amz-Sdk-Invocation-Id") ||
			b.Get("Amz-Sdk-Request") != "attempt=2; max=3" {
			t.Errorf("retry headers: %q %q, %q", a.Get("Amz-Sdk-Invocation-Id"), b.Get("Amz-Sdk-Invocation-Id"), b.Get("Amz-Sdk-Request"))
		}
	}
}

func TestRetryGivesUpAfterMaxAttempts(t *testing.T) {
	slow := fault{status: 503, code: "SlowDown"}
	srv := &faultServer{faults: map[string][]fault{"PUT": {slow, slow, slow, slow}}}
	c := faultClient(t, srv, nil)
	_, err := c.Put(context.Background(), "k", []byte("v"), cos.PutOptions{})
	var max *retry.MaxAttemptsError
	if !errors.Is(err, cos.ErrThrottled) || !errors.As(err, &max) || max.Attempt != 3 {
		t.Fatalf("err = %v, want ErrThrottled after 3 attempts", err)
	}
	if got := srv.ops(); got != "PUT,PUT,PUT" {
		t.Errorf("server saw %s", got)
	}
}

func TestNoRetryOfClientErrors(t *testing.T) {
	srv := &faultServer{faults: map[string][]fault{"PUT": {{status: 403, code: "AccessDenied"}}, "GET": {{status: 404, code: "NoSuchKey"}}}}
	c := faultClient(t, srv, nil)
	ctx := context.Background()
	if _, err := c.Put(ctx, "k", []byte("v"), cos.PutOptions{}); !errors.Is(err, cos.ErrAccessDenied) {
		t.Errorf("put: %v", err)
	}
	if _, err := c.Get(ctx, "k", 0, -1); !errors.Is(err, cos.ErrNotFound) {
		t.Errorf("get: %v", err)
	}
	if got := srv.ops(); got != "PUT,GET" {
		t.Errorf("server saw %s, want no retries", got)
	}
}

// A conditional create whose connection drops after the request went out
// may have created the object; a retry would then answer "exists" about
// our own write and the store would report losing the key it won. It is
// not retried; the caller gets an error that is not ErrExists.
func TestConditionalWriteNotRetriedWhenItMayHaveApplied(t *testing.T) {
	ctx := context.Background()
	for _, o := range []cos.PutOptions{{IfAbsent: true}, {IfMatch: "abc"}} {
		for _, f := range []fault{{drop: true}, {status: 500, code: "InternalError"}} {
			srv := &faultServer{faults: map[string][]fault{"PUT": {f}}}
			c := faultClient(t, srv, nil)
			_, err := c.Put(ctx, "lease", []byte("v"), o)
			if err == nil || errors.Is(err, cos.ErrExists) {
				t.Errorf("%+v after %+v: err = %v, want a failure that is not ErrExists", o, f, err)
			}
			if got := srv.ops(); got != "PUT" {
				t.Errorf("%+v after %+v: server saw %s, want one attempt", o, f, got)
			}
		}
	}
}

// A conditional create refused before it acted (throttled) or that never
// left (a dial error) is retried like any other request.
func TestConditionalWriteRetriedWhenItCannotHaveApplied(t *testing.T) {
	ctx := context.Background()
	srv := &faultServer{faults: map[string][]fault{"PUT": {{status: 503, code: "SlowDown"}}}}
	c := faultClient(t, srv, nil)
	if _, err := c.Put(ctx, "lease", []byte("v"), cos.PutOptions{IfAbsent: true}); err != nil {
		t.Errorf("after SlowDown: %v", err)
	}
	if got := srv.ops(); got != "PUT,PUT" {
		t.Errorf("after SlowDown the server saw %s", got)
	}

	srv = &faultServer{}
	var dials int
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		if dials++; dials == 1 {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		}
		return http.DefaultClient.Do(r)
	})
	c = faultClient(t, srv, doer)
	if _, err := c.Put(ctx, "lease", []byte("v"), cos.PutOptions{IfAbsent: true}); err != nil {
		t.Errorf("after a dial error: %v", err)
	}
	if got := srv.ops(); got != "PUT" || dials != 2 {
		t.Errorf("after a dial error: %d sends, server saw %s", dials, got)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

const partSize = cos.MinPartSize

func threeParts() io.Reader {
	return struct{ io.Reader }{bytes.NewReader(bytes.Repeat([]byte("p"), 2*partSize+10))}
}

func TestUploadAbortsAfterAFailedPart(t *testing.T) {
	srv := &faultServer{faults: map[string][]fault{"part2": {{status: 403, code: "AccessDenied"}}}}
	c := faultClient(t, srv, nil)
	_, err := c.Upload(context.Background(), "big", threeParts(), cos.UploadOptions{PartSize: partSize, Concurrency: 1})
	if !errors.Is(err, cos.ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	ops := srv.ops()
	if !strings.HasPrefix(ops, "create,") || !strings.HasSuffix(ops, ",abort") || strings.Contains(ops, "complete") {
		t.Errorf("server saw %s: want create, parts, abort and no complete", ops)
	}
}

func TestUploadRetriesAPartThenCompletes(t *testing.T) {
	srv := &faultServer{faults: map[string][]fault{"part2": {{status: 500, code: "InternalError"}}, "complete": {{in200: true, code: "InternalError"}}}}
	c := faultClient(t, srv, nil)
	etag, err := c.Upload(context.Background(), "big", threeParts(), cos.UploadOptions{PartSize: partSize, Concurrency: 1})
	if err != nil || etag != "whole-3" {
		t.Fatalf("upload = %q, %v", etag, err)
	}
	if got := srv.ops(); got != "create,part1,part2,part2,part3,complete,complete" {
		t.Errorf("server saw %s: want part 2 and the 200-with-error complete retried", got)
	}
}

func TestUploadAbortsWhenTheSourceOrContextFails(t *testing.T) {
	srv := &faultServer{}
	c := faultClient(t, srv, nil)
	broken := io.MultiReader(bytes.NewReader(make([]byte, partSize+1)), errReader{})
	if _, err := c.Upload(context.Background(), "big", broken, cos.UploadOptions{PartSize: partSize}); err == nil || !strings.Contains(err.Error(), "source broke") {
		t.Errorf("broken source: err = %v", err)
	}
	if ops := srv.ops(); !strings.HasSuffix(ops, ",abort") || strings.Contains(ops, "complete") {
		t.Errorf("broken source: server saw %s", ops)
	}

	created := make(chan struct{})
	srv = &faultServer{onOp: func(op string) {
		if op == "part1" {
			close(created)
		}
	}}
	c = faultClient(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write(make([]byte, partSize)) // the first part; cancel while it is being sent
		<-created
		cancel()
		_, _ = pw.Write(make([]byte, 10))
		pw.Close()
	}()
	if _, err := c.Upload(ctx, "big", pr, cos.UploadOptions{PartSize: partSize}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	if ops := srv.ops(); !strings.HasSuffix(ops, ",abort") || strings.Contains(ops, "complete") {
		t.Errorf("cancelled: server saw %s, want an abort despite the cancelled context", ops)
	}
}

// An instance whose clock is an hour behind COS's: the first request is
// refused (RequestTimeTooSkewed), retried at the time the answer's Date
// gave, and later requests are signed at the corrected time from the start,
// as the SDK's clock skew correction does.
func TestClockSkewCorrected(t *testing.T) {
	const ahead = time.Hour
	var mu sync.Mutex
	var attempts int
	var lastMetrics string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts++
		lastMetrics = r.Header.Get("Amz-Sdk-Request")
		mu.Unlock()
		server := time.Now().Add(ahead)
		w.Header().Set("Date", server.UTC().Format(http.TimeFormat))
		signed, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		if err != nil || (server.Sub(signed)).Abs() > 5*time.Minute {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the server's time is too large.</Message></Error>`)
			return
		}
		w.Header().Set("ETag", `"e"`)
	}))
	defer ts.Close()
	c, err := cos.NewClient(cos.Config{
		Bucket: "campaigns-1250000000", Region: "ap-guangzhou", Endpoint: ts.URL, PathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""), HTTPClient: ts.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	cos.NoBackoff(c)
	ctx := context.Background()
	// A conditional write too: a refused request did nothing, so it may be
	// sent again.
	if _, err := c.Put(ctx, "k", []byte("v"), cos.PutOptions{IfAbsent: true}); err != nil {
		t.Fatalf("first put: %v", err)
	}
	if attempts != 2 {
		t.Errorf("first put took %d attempts, want 2 (refused, then signed at the server's time)", attempts)
	}
	deadline, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := c.Head(deadline, "k"); err != nil {
		t.Fatalf("head: %v", err)
	}
	if attempts != 3 {
		t.Errorf("%d attempts after the second operation, want 3: the corrected clock should be kept", attempts)
	}
	// With a deadline and the server ahead, the SDK also named the deadline
	// on the server's clock.
	if !strings.HasPrefix(lastMetrics, "attempt=1; max=3; ttl=") {
		t.Errorf("Amz-Sdk-Request = %q, want the deadline as ttl", lastMetrics)
	}
}
