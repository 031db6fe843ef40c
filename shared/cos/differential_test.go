package cos_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
)

// The tests here hold cos.Client to what aws-sdk-go-v2's service/s3 client
// (as sdkclient configures it, and as the functions used it before) sends:
// for the same inputs, credentials and signing time, every operation's
// method, path, query, host, signed headers, body and Authorization are the
// same. Both clients talk to one recording httptest server.

var (
	signingTime = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	// invocationID stands in for the random amz-sdk-invocation-id, which
	// both clients sign.
	invocationID = "00000000-0000-4000-8000-000000000000"
	diffKey      = "活动/a 中+b~(1)!'*.csv"
)

// wire is one request as the server received it.
type wire struct {
	Method, Host, Path, Query string
	Header                    http.Header
	Body                      []byte
}

// signed returns the signed header names and the Authorization header.
func (w wire) signed() []string {
	_, rest, _ := strings.Cut(w.Header.Get("Authorization"), "SignedHeaders=")
	list, _, _ := strings.Cut(rest, ",")
	return strings.Split(list, ";")
}

// header returns a signed header's value as received; the server moves Host
// out of the header map.
func (w wire) header(name string) string {
	switch name {
	case "host":
		return w.Host
	case "content-length":
		return w.Header.Get("Content-Length") + "/" + strconv.Itoa(len(w.Body))
	}
	return strings.Join(w.Header.Values(name), ",")
}

// recordingServer answers like a permissive S3 server and keeps every request.
type recordingServer struct {
	mu   sync.Mutex
	reqs []wire
}

func (s *recordingServer) take() []wire {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.reqs
	s.reqs = nil
	return r
}

func (s *recordingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h := r.Header.Clone()
	if r.ContentLength >= 0 && (len(body) > 0 || r.Header.Get("Content-Length") != "" || r.Method == http.MethodPut || r.Method == http.MethodPost) {
		h.Set("Content-Length", strconv.FormatInt(r.ContentLength, 10))
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, wire{Method: r.Method, Host: r.Host, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: h, Body: body})
	s.mu.Unlock()
	q := r.URL.Query()
	// The server's clock agrees with the signing time: the client's clock
	// skew correction then keeps signing at exactly that time.
	w.Header().Set("Date", signingTime.Format(http.TimeFormat))
	w.Header().Set("ETag", `"0123456789abcdef0123456789abcdef"`)
	w.Header().Set("Last-Modified", "Sat, 28 Nov 2026 08:00:00 GMT")
	switch {
	case r.Method == http.MethodPost && q.Has("uploads"):
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>`)
	case r.Method == http.MethodPost && q.Has("uploadId"):
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><ETag>"abc-3"</ETag></CompleteMultipartUploadResult>`)
	case r.Method == http.MethodGet && q.Get("list-type") == "2":
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>`)
	case r.Method == http.MethodPut && q.Has("partNumber"):
		w.Header().Set("ETag", `"part-`+q.Get("partNumber")+`"`)
	case r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet:
		_, _ = io.WriteString(w, "0123456789")
	}
}

// fixedSigner is the SDK's own signer at signingTime.
type fixedSigner struct{ v4.Signer }

func (s *fixedSigner) SignHTTP(ctx context.Context, c aws.Credentials, r *http.Request, hash, svc, region string, _ time.Time, opts ...func(*v4.SignerOptions)) error {
	return s.Signer.SignHTTP(ctx, c, r, hash, svc, region, signingTime, opts...)
}

// fixInvocationID runs after the SDK's ClientRequestID middleware.
var fixInvocationID = func(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("FixInvocationID",
		func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			in.Request.(*smithyhttp.Request).Header.Set("Amz-Sdk-Invocation-Id", invocationID)
			return next.HandleBuild(ctx, in)
		}), middleware.After)
}

type diffSetup struct {
	name      string
	endpoint  func(srv *httptest.Server) string // "" is COS's default endpoint
	pathStyle bool
	tls       bool
	bucket    string
}

var diffSetups = []diffSetup{
	{name: "http path style", endpoint: func(s *httptest.Server) string { return s.URL }, pathStyle: true},
	{name: "https path style", endpoint: func(s *httptest.Server) string { return s.URL }, pathStyle: true, tls: true},
	{name: "https virtual-hosted COS", endpoint: func(*httptest.Server) string { return "" }, tls: true},
	{name: "http virtual-hosted", endpoint: func(*httptest.Server) string { return "http://cos.internal.test:9000" }},
	{name: "IP endpoint without path style", endpoint: func(s *httptest.Server) string { return s.URL }},
	{name: "dotted bucket over https", endpoint: func(*httptest.Server) string { return "https://s3.internal.test" }, tls: true, bucket: "my.campaigns"},
}

// clients returns both clients for a setup, talking to one recording server
// (every host name resolves to it).
func (d diffSetup) clients(t *testing.T) (*cos.Client, *s3.Client, *recordingServer) {
	t.Helper()
	rec := &recordingServer{}
	var srv *httptest.Server
	if d.tls {
		srv = httptest.NewTLSServer(rec)
	} else {
		srv = httptest.NewServer(rec)
	}
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	httpc := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}}
	bucket := d.bucket
	if bucket == "" {
		bucket = "campaigns-1250000000"
	}
	cfg := cos.Config{
		Bucket: bucket, Region: "ap-guangzhou", Endpoint: d.endpoint(srv), PathStyle: d.pathStyle,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDdiff", "diff-secret", "diff-token"),
		HTTPClient:  httpc,
	}
	ours, err := cos.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cos.FixClock(ours, signingTime, invocationID)
	sdk, err := sdkclient.New(cfg, func(o *s3.Options) {
		o.HTTPSignerV4 = &fixedSigner{Signer: *v4.NewSigner()}
		o.APIOptions = append(o.APIOptions, fixInvocationID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ours, sdk, rec
}

// compare fails the test where two requests differ in what S3 verifies.
func compare(t *testing.T, what string, ours, sdk wire) {
	t.Helper()
	for _, f := range []struct{ name, a, b string }{
		{"method", ours.Method, sdk.Method},
		{"host", ours.Host, sdk.Host},
		{"path", ours.Path, sdk.Path},
		{"query", ours.Query, sdk.Query},
		{"signed headers", strings.Join(ours.signed(), ";"), strings.Join(sdk.signed(), ";")},
		{"body", string(ours.Body), string(sdk.Body)},
		{"Authorization", ours.Header.Get("Authorization"), sdk.Header.Get("Authorization")},
		{"Expect", ours.Header.Get("Expect"), sdk.Header.Get("Expect")},
	} {
		if f.a != f.b {
			t.Errorf("%s: %s differs:\n ours %q\n sdk  %q", what, f.name, f.a, f.b)
		}
	}
	for _, h := range sdk.signed() {
		if a, b := ours.header(h), sdk.header(h); a != b {
			t.Errorf("%s: signed header %s differs: ours %q, sdk %q", what, h, a, b)
		}
	}
	if ours.Header.Get("Authorization") == "" {
		t.Errorf("%s: not signed", what)
	}
}

// one runs an operation on each client and compares the single requests.
func one(t *testing.T, rec *recordingServer, what string, ours, sdk func() error) {
	t.Helper()
	if err := ours(); err != nil {
		t.Fatalf("%s (ours): %v", what, err)
	}
	o := rec.take()
	if err := sdk(); err != nil {
		t.Fatalf("%s (sdk): %v", what, err)
	}
	s := rec.take()
	if len(o) != 1 || len(s) != 1 {
		t.Fatalf("%s: ours sent %d requests, the SDK %d; want 1 each", what, len(o), len(s))
	}
	compare(t, what, o[0], s[0])
}

func TestRequestsMatchSDK(t *testing.T) {
	for _, d := range diffSetups {
		t.Run(d.name, func(t *testing.T) {
			ours, sdk, rec := d.clients(t)
			ctx := context.Background()
			b, k := aws.String(ours.Bucket()), aws.String(diffKey)
			withHeaders := func(kv ...string) func(*s3.Options) {
				return func(o *s3.Options) {
					for i := 0; i < len(kv); i += 2 {
						o.APIOptions = append(o.APIOptions, smithyhttp.SetHeaderValue(kv[i], kv[i+1]))
					}
				}
			}
			small := []byte("phone,name\n13800138000,张三\n")
			big := bytes.Repeat([]byte("x"), 3<<20) // over the SDK's Expect: 100-continue threshold
			puts := []struct {
				name string
				body []byte
				o    cos.PutOptions
				in   s3.PutObjectInput
				opt  []func(*s3.Options)
			}{
				{"PutObject", small, cos.PutOptions{ContentType: "text/csv"}, s3.PutObjectInput{ContentType: aws.String("text/csv")}, nil},
				{"PutObject without type", small, cos.PutOptions{}, s3.PutObjectInput{}, nil},
				{"PutObject empty", []byte{}, cos.PutOptions{}, s3.PutObjectInput{}, nil},
				{"PutObject 3 MiB", big, cos.PutOptions{}, s3.PutObjectInput{}, nil},
				{"PutObject if absent", small, cos.PutOptions{IfAbsent: true}, s3.PutObjectInput{},
					[]func(*s3.Options){withHeaders(cos.HeaderForbidOverwrite, "true", "If-None-Match", "*")}},
				{"PutObject if match", small, cos.PutOptions{IfMatch: "abc"}, s3.PutObjectInput{},
					[]func(*s3.Options){withHeaders("If-Match", `"abc"`)}},
			}
			for _, p := range puts {
				one(t, rec, p.name,
					func() error { _, err := ours.Put(ctx, diffKey, p.body, p.o); return err },
					func() error {
						in := p.in
						in.Bucket, in.Key, in.Body, in.ContentLength = b, k, bytes.NewReader(p.body), aws.Int64(int64(len(p.body)))
						_, err := sdk.PutObject(ctx, &in, p.opt...)
						return err
					})
			}
			for _, g := range []struct {
				name     string
				off, n   int64
				sdkRange *string
			}{{"GetObject", 0, -1, nil}, {"GetObject range", 3, 4, aws.String("bytes=3-6")}, {"GetObject from", 7, -1, aws.String("bytes=7-")}} {
				one(t, rec, g.name,
					func() error {
						obj, err := ours.Get(ctx, diffKey, g.off, g.n)
						if err == nil {
							_, _ = io.Copy(io.Discard, obj.Body)
							obj.Body.Close()
						}
						return err
					},
					func() error {
						out, err := sdk.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, Range: g.sdkRange})
						if err == nil {
							_, _ = io.Copy(io.Discard, out.Body)
							out.Body.Close()
						}
						return err
					})
			}
			one(t, rec, "HeadObject",
				func() error { _, err := ours.Head(ctx, diffKey); return err },
				func() error { _, err := sdk.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k}); return err })
			one(t, rec, "DeleteObject",
				func() error { return ours.Delete(ctx, diffKey) },
				func() error { _, err := sdk.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k}); return err })
			one(t, rec, "ListObjectsV2",
				func() error { _, _, err := ours.ListPage(ctx, "活动/a b+", "1/a+b=c d", 100); return err },
				func() error {
					_, err := sdk.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Prefix: aws.String("活动/a b+"),
						ContinuationToken: aws.String("1/a+b=c d"), MaxKeys: aws.Int32(100)})
					return err
				})
			one(t, rec, "ListObjectsV2 first page",
				func() error { _, _, err := ours.ListPage(ctx, "", "", 0); return err },
				func() error {
					_, err := sdk.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, MaxKeys: aws.Int32(1000)})
					return err
				})
			compareMultipart(t, ours, sdk, rec)
		})
	}
}

// compareMultipart uploads three parts with cos.Client.Upload, then makes
// the same calls with the SDK, and compares each request; then an upload
// that fails after its first part, for AbortMultipartUpload.
func compareMultipart(t *testing.T, ours *cos.Client, sdk *s3.Client, rec *recordingServer) {
	t.Helper()
	ctx := context.Background()
	b, k := aws.String(ours.Bucket()), aws.String(diffKey)
	const partSize = cos.MinPartSize
	data := bytes.Repeat([]byte("0123456789"), (2*partSize+1234)/10+1)[:2*partSize+1234]
	if _, err := ours.Upload(ctx, diffKey, struct{ io.Reader }{bytes.NewReader(data)}, cos.UploadOptions{ContentType: "text/csv", PartSize: partSize}); err != nil {
		t.Fatal(err)
	}
	got := rec.take()
	find := func(reqs []wire, method, query string) wire {
		for _, r := range reqs {
			if r.Method == method && r.Query == query {
				return r
			}
		}
		t.Fatalf("no %s ?%s among ours", method, query)
		return wire{}
	}
	if len(got) != 5 {
		t.Fatalf("upload sent %d requests, want create, 3 parts, complete", len(got))
	}

	if _, err := sdk.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: k, ContentType: aws.String("text/csv")}); err != nil {
		t.Fatal(err)
	}
	compare(t, "CreateMultipartUpload", find(got, http.MethodPost, "uploads="), rec.take()[0])
	var parts []types.CompletedPart
	for i, n := range []int{partSize, partSize, 1234} {
		num := int32(i + 1)
		body := data[i*partSize : i*partSize+n]
		out, err := sdk.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: k, UploadId: aws.String("upload-1"),
			PartNumber: aws.Int32(num), Body: bytes.NewReader(body)})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
		q := "partNumber=" + strconv.Itoa(int(num)) + "&uploadId=upload-1&x-id=UploadPart"
		compare(t, "UploadPart "+q, find(got, http.MethodPut, q), rec.take()[0])
	}
	if _, err := sdk.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: aws.String("upload-1"),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		t.Fatal(err)
	}
	compare(t, "CompleteMultipartUpload", find(got, http.MethodPost, "uploadId=upload-1"), rec.take()[0])

	failing := io.MultiReader(bytes.NewReader(data[:partSize]), errReader{})
	if _, err := ours.Upload(ctx, diffKey, failing, cos.UploadOptions{PartSize: partSize}); err == nil {
		t.Fatal("an upload whose reader fails succeeded")
	}
	got = rec.take()
	if _, err := sdk.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: b, Key: k, UploadId: aws.String("upload-1")}); err != nil {
		t.Fatal(err)
	}
	compare(t, "AbortMultipartUpload", find(got, http.MethodDelete, "uploadId=upload-1&x-id=AbortMultipartUpload"), rec.take()[0])
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("source broke") }
