package cos

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// wireProblems lists what COS would reject in an upload request: the
// aws-chunked framing and checksum trailers that aws-sdk-go-v2 adds unless
// checksums are WhenRequired, or a body that does not match its length.
func wireProblems(r recorded) []string {
	var p []string
	h := r.Header
	if strings.Contains(strings.ToLower(h.Get("Content-Encoding")), "aws-chunked") {
		p = append(p, "Content-Encoding: "+h.Get("Content-Encoding"))
	}
	for name := range h {
		l := strings.ToLower(name)
		if l == "x-amz-trailer" || l == "x-amz-decoded-content-length" ||
			strings.HasPrefix(l, "x-amz-checksum-") || l == "x-amz-sdk-checksum-algorithm" {
			p = append(p, name+": "+h.Get(name))
		}
	}
	if strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		p = append(p, "X-Amz-Content-Sha256: "+h.Get("X-Amz-Content-Sha256"))
	}
	if r.Method == http.MethodPut {
		if r.ContentLength != int64(len(r.Body)) {
			p = append(p, "Content-Length "+strconv.FormatInt(r.ContentLength, 10)+" != body "+strconv.Itoa(len(r.Body)))
		}
	}
	return p
}

func TestPutObjectWireFormat(t *testing.T) {
	rec := &recorder{handler: okHandler}
	c := newFakeClient(t, rec, nil)
	ctx := context.Background()
	body := []byte("phone,name\n13800138000,张三\n")

	if _, err := c.Put(ctx, "uploads/a.csv", body, PutOptions{ContentType: "text/csv"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, "state/lock", body, PutOptions{IfAbsent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put(ctx, "state/lock", body, PutOptions{IfMatch: "abc"}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	if len(reqs) != 3 {
		t.Fatalf("sent %d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if p := wireProblems(r); len(p) > 0 {
			t.Errorf("request %d: COS would reject: %v", i, p)
		}
		if !bytes.Equal(r.Body, body) {
			t.Errorf("request %d: body is %q, want the plain object bytes", i, r.Body)
		}
		if r.ContentLength != int64(len(body)) {
			t.Errorf("request %d: Content-Length = %d, want %d", i, r.ContentLength, len(body))
		}
		if r.Path != "/"+strings.SplitN(r.Path, "/", 2)[1] || r.Header.Get("X-Amz-Security-Token") != "token" {
			t.Errorf("request %d: session token not sent", i)
		}
	}
	if got := reqs[0].Header.Get("Content-Type"); got != "text/csv" {
		t.Errorf("Content-Type = %q", got)
	}
	for _, h := range []string{HeaderForbidOverwrite, "If-None-Match", "If-Match"} {
		if v := reqs[0].Header.Get(h); v != "" {
			t.Errorf("plain put carries %s: %s", h, v)
		}
	}

	ifAbsent := reqs[1].Header
	if ifAbsent.Get(HeaderForbidOverwrite) != "true" || ifAbsent.Get("If-None-Match") != "*" {
		t.Errorf("create-if-absent headers: forbid-overwrite=%q if-none-match=%q, want true and *",
			ifAbsent.Get(HeaderForbidOverwrite), ifAbsent.Get("If-None-Match"))
	}
	signed := signedHeaders(ifAbsent.Get("Authorization"))
	for _, h := range []string{"x-cos-forbid-overwrite", "if-none-match", "content-length", "host"} {
		if !signed[h] {
			t.Errorf("%s is not covered by the signature (SignedHeaders of %q)", h, ifAbsent.Get("Authorization"))
		}
	}
	if got := reqs[2].Header.Get("If-Match"); got != `"abc"` {
		t.Errorf("If-Match = %q, want quoted etag", got)
	}
	if reqs[2].Header.Get(HeaderForbidOverwrite) != "" {
		t.Error("if-match put must not forbid overwrite")
	}
}

// TestWireCheckCatchesSDKDefaults proves wireProblems would catch a client
// built without the WhenRequired settings: the SDK's defaults send exactly
// what COS rejects.
func TestWireCheckCatchesSDKDefaults(t *testing.T) {
	rec := &recorder{handler: okHandler}
	raw := s3.New(s3.Options{
		Region:       "ap-guangzhou",
		BaseEndpoint: aws.String("https://cos.ap-guangzhou.myqcloud.com"),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""),
		HTTPClient:   &http.Client{Transport: rec},
		// What config.LoadDefaultConfig gives unless told otherwise.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
	})
	_, err := raw.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String("campaigns-1250000000"), Key: aws.String("k"),
		Body: bytes.NewReader([]byte("hello")),
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := wireProblems(rec.requests()[0]); len(p) == 0 {
		t.Fatal("the SDK defaults went out clean; wireProblems no longer detects the regression it guards against")
	}
}

func TestMultipartUploadWireFormat(t *testing.T) {
	rec := &recorder{handler: okHandler}
	c := newFakeClient(t, rec, nil)
	const partSize = 5 << 20 // the S3 minimum, to keep the test small
	size := 2*partSize + 1234
	data := bytes.Repeat([]byte("0123456789"), size/10+1)[:size]
	// A reader without Seek, as the blob writer's pipe is.
	etag, err := c.Upload(context.Background(), "reports/r.csv", struct{ *bytes.Reader }{bytes.NewReader(data)},
		UploadOptions{ContentType: "text/csv", PartSize: partSize, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	if etag != "abc-3" {
		t.Errorf("etag = %q", etag)
	}
	var parts, creates, completes int
	var got int
	for _, r := range rec.requests() {
		if p := wireProblems(r); len(p) > 0 {
			t.Errorf("%s %s?%s: COS would reject: %v", r.Method, r.Path, r.Query, p)
		}
		switch {
		case r.Method == http.MethodPost && strings.Contains(r.Query, "uploads"):
			creates++
		case r.Method == http.MethodPut && strings.Contains(r.Query, "partNumber"):
			parts++
			got += len(r.Body)
		case r.Method == http.MethodPost && strings.Contains(r.Query, "uploadId"):
			completes++
			if bytes.Contains(r.Body, []byte("Checksum")) {
				t.Errorf("complete request lists part checksums: %s", r.Body)
			}
		}
	}
	if creates != 1 || parts != 3 || completes != 1 || got != size {
		t.Errorf("creates=%d parts=%d completes=%d bytes=%d, want 1, 3, 1, %d", creates, parts, completes, got, size)
	}
}

func TestCredentialRotationReachesTheWire(t *testing.T) {
	rec := &recorder{handler: okHandler}
	t.Setenv("TENCENTCLOUD_SECRETID", "AKIDfirst")
	t.Setenv("TENCENTCLOUD_SECRETKEY", "k1")
	t.Setenv("TENCENTCLOUD_SESSIONTOKEN", "t1")
	c := newFakeClient(t, rec, func(cfg *Config) { cfg.Credentials = nil })
	ctx := context.Background()
	if _, err := c.Put(ctx, "k", []byte("v"), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TENCENTCLOUD_SECRETID", "AKIDsecond")
	t.Setenv("TENCENTCLOUD_SECRETKEY", "k2")
	t.Setenv("TENCENTCLOUD_SESSIONTOKEN", "t2")
	if _, err := c.Put(ctx, "k", []byte("v"), PutOptions{}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.requests()
	for i, want := range []struct{ id, token string }{{"AKIDfirst", "t1"}, {"AKIDsecond", "t2"}} {
		auth := reqs[i].Header.Get("Authorization")
		if !strings.Contains(auth, "Credential="+want.id+"/") || !strings.Contains(auth, "/ap-guangzhou/s3/aws4_request") {
			t.Errorf("request %d Authorization = %q, want key %s in region ap-guangzhou", i, auth, want.id)
		}
		if got := reqs[i].Header.Get("X-Amz-Security-Token"); got != want.token {
			t.Errorf("request %d token = %q, want %q", i, got, want.token)
		}
	}
}

func TestAddressing(t *testing.T) {
	tests := []struct {
		name      string
		endpoint  string
		pathStyle bool
		wantHost  string
		wantPath  string
	}{
		{"default virtual-hosted", "", false, "campaigns-1250000000.cos.ap-guangzhou.myqcloud.com", "/a/%E4%B8%AD%20b.csv"},
		{"local path style", "http://127.0.0.1:9000", true, "127.0.0.1:9000", "/campaigns-1250000000/a/%E4%B8%AD%20b.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var host string
			rec := &recorder{handler: func(w http.ResponseWriter, r *http.Request) { host = r.URL.Host; okHandler(w, r) }}
			c := newFakeClient(t, rec, func(cfg *Config) { cfg.Endpoint, cfg.PathStyle = tt.endpoint, tt.pathStyle })
			if _, err := c.Put(context.Background(), "a/中 b.csv", []byte("x"), PutOptions{}); err != nil {
				t.Fatal(err)
			}
			r := rec.requests()[0]
			if host != tt.wantHost || r.Path != tt.wantPath {
				t.Errorf("host %q path %q, want %q %q", host, r.Path, tt.wantHost, tt.wantPath)
			}
		})
	}
}

func signedHeaders(auth string) map[string]bool {
	m := map[string]bool{}
	_, rest, ok := strings.Cut(auth, "SignedHeaders=")
	if !ok {
		return m
	}
	list, _, _ := strings.Cut(rest, ",")
	for _, h := range strings.Split(list, ";") {
		m[h] = true
	}
	return m
}

// TestGetIgnoresUnrequestedChecksums: COS answers with its own CRC64 header
// and no S3 checksum; a download must never fail on a checksum it did not ask for.
func TestGetIgnoresUnrequestedChecksums(t *testing.T) {
	rec := &recorder{handler: func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Checksum-Mode") != "" {
			t.Errorf("GetObject asked for checksum mode %q", r.Header.Get("X-Amz-Checksum-Mode"))
		}
		w.Header().Set("x-amz-checksum-crc32", "AAAAAA==") // wrong on purpose
		w.Header().Set("x-cos-hash-crc64ecma", "12345")
		w.Header().Set("ETag", `"e"`)
		_, _ = w.Write([]byte("hello"))
	}}
	c := newFakeClient(t, rec, nil)
	obj, err := c.Get(context.Background(), "k", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	b, err := io.ReadAll(obj.Body)
	if err != nil || string(b) != "hello" {
		t.Fatalf("read %q, %v", b, err)
	}
}
