package cos_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
)

// errorAnswer is one failed answer a server may give.
type errorAnswer struct {
	name   string
	status int
	header map[string]string
	body   string
}

var errorAnswers = []errorAnswer{
	{"no such key", 404, nil, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>body-id</RequestId></Error>`},
	{"not found, no body", 404, nil, ""},
	{"no such bucket", 404, map[string]string{"x-cos-request-id": "cos-id"}, `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message></Error>`},
	{"access denied", 403, map[string]string{"x-amz-request-id": "amz-id"}, `<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>`},
	{"forbidden, no body", 403, nil, ""},
	{"bad signature", 403, nil, `<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message></Error>`},
	{"expired token", 400, nil, `<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>`},
	{"forbid overwrite", 409, nil, `<Error><Code>FileAlreadyExists</Code><Message>The file already exists.</Message></Error>`},
	{"precondition", 412, nil, `<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`},
	{"precondition, no body", 412, nil, ""},
	{"invalid range", 416, nil, `<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message></Error>`},
	{"slow down", 503, nil, `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`},
	{"too many requests", 429, nil, `<Error><Code>TooManyRequests</Code></Error>`},
	{"message only", 400, nil, `<Error><Message>something</Message></Error>`},
	{"code only", 400, nil, `<Error><Code>InvalidArgument</Code></Error>`},
	{"internal error", 500, nil, `<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>`},
	{"gateway page", 502, nil, "<html><body>Bad Gateway</body></html>"},
	{"not xml", 400, nil, "oops"},
	{"request id in header and body", 403, map[string]string{"x-amz-request-id": "amz-id"}, `<Error><Code>AccessDenied</Code><Message>no</Message><RequestId>body-id</RequestId></Error>`},
	{"empty error document", 400, nil, `<Error></Error>`},
	{"wrapped error", 400, nil, `<ErrorResponse><Error><Code>Wrapped</Code><Message>w</Message></Error></ErrorResponse>`},
}

// TestErrorsMatchSDK: for each failed answer and each operation, the error
// cos.Client returns carries what MapError made of the SDK's error: the
// same kind, code, message, status, request id and hint.
func TestErrorsMatchSDK(t *testing.T) {
	for _, a := range errorAnswers {
		t.Run(a.name, func(t *testing.T) {
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				for k, v := range a.header {
					w.Header().Set(k, v)
				}
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(a.status)
				if r.Method != http.MethodHead {
					_, _ = io.WriteString(w, a.body)
				}
			}))
			defer ts.Close()
			cfg := cos.Config{Bucket: "campaigns-1250000000", Region: "ap-guangzhou", Endpoint: ts.URL, PathStyle: true,
				Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""), HTTPClient: ts.Client(), RetryMaxAttempts: 1}
			ours, err := cos.NewClient(cfg)
			if err != nil {
				t.Fatal(err)
			}
			sdk, err := sdkclient.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			b, k := aws.String(cfg.Bucket), aws.String("k")
			ops := []struct {
				op        string
				ours, sdk func() error
			}{
				{"PutObject", func() error { _, err := ours.Put(ctx, "k", []byte("v"), cos.PutOptions{}); return err },
					func() error {
						_, err := sdk.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: k, Body: strings.NewReader("v"), ContentLength: aws.Int64(1)})
						return err
					}},
				{"GetObject", func() error { _, err := ours.Get(ctx, "k", 0, -1); return err },
					func() error { _, err := sdk.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k}); return err }},
				{"HeadObject", func() error { _, err := ours.Head(ctx, "k"); return err },
					func() error { _, err := sdk.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k}); return err }},
				{"DeleteObject", func() error { return ours.Delete(ctx, "k") },
					func() error { _, err := sdk.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: b, Key: k}); return err }},
				{"ListObjectsV2", func() error { _, _, err := ours.ListPage(ctx, "k", "", 0); return err },
					func() error {
						_, err := sdk.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: b, Prefix: k, MaxKeys: aws.Int32(1000)})
						return err
					}},
			}
			for _, o := range ops {
				got := o.ours()
				want := o.sdk()
				key := "k"
				if want != nil {
					want = cos.MapError(o.op, cfg.Bucket, key, want)
				}
				if o.op == "DeleteObject" && errors.Is(want, cos.ErrNotFound) {
					want = nil // Delete treats a missing key as deleted
				}
				compareErrors(t, o.op, got, want)
			}
		})
	}
}

func compareErrors(t *testing.T, op string, got, want error) {
	t.Helper()
	if (got == nil) != (want == nil) {
		t.Errorf("%s: ours %v, SDK %v", op, got, want)
		return
	}
	if got == nil {
		return
	}
	for _, kind := range []error{cos.ErrNotFound, cos.ErrBucketNotFound, cos.ErrExists, cos.ErrAccessDenied, cos.ErrThrottled, cos.ErrInvalidRange} {
		if errors.Is(got, kind) != errors.Is(want, kind) {
			t.Errorf("%s: errors.Is(%v): ours %v, SDK %v", op, kind, errors.Is(got, kind), errors.Is(want, kind))
		}
	}
	var g, w *cos.Error
	if !errors.As(got, &g) || !errors.As(want, &w) {
		t.Fatalf("%s: not *cos.Error: %T %T", op, got, want)
	}
	for _, f := range []struct{ name, a, b string }{
		{"Op", g.Op, w.Op}, {"Code", g.Code, w.Code}, {"Message", g.Message, w.Message},
		{"RequestID", g.RequestID, w.RequestID}, {"Hint", g.Hint, w.Hint},
	} {
		if f.a != f.b {
			t.Errorf("%s: %s: ours %q, SDK %q", op, f.name, f.a, f.b)
		}
	}
	if g.Status != w.Status {
		t.Errorf("%s: Status: ours %d, SDK %d", op, g.Status, w.Status)
	}
}

// FuzzErrorsMatchSDK: any failed answer to a GetObject gives the error
// MapError made of the SDK's.
func FuzzErrorsMatchSDK(f *testing.F) {
	for _, a := range errorAnswers {
		f.Add(a.status, a.body)
	}
	var status int
	var body string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	defer ts.Close()
	cfg := cos.Config{Bucket: "campaigns-1250000000", Region: "ap-guangzhou", Endpoint: ts.URL, PathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDtest", "secret", ""), HTTPClient: ts.Client(), RetryMaxAttempts: 1}
	ours, err := cos.NewClient(cfg)
	if err != nil {
		f.Fatal(err)
	}
	sdk, err := sdkclient.New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, s int, b string) {
		if s < 300 || s > 599 || s == 304 {
			return // a failure; 304 has no body in HTTP
		}
		status, body = s, b
		_, got := ours.Get(ctx, "k", 0, -1)
		_, want := sdk.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(cfg.Bucket), Key: aws.String("k")})
		compareErrors(t, "GetObject", got, cos.MapError("GetObject", cfg.Bucket, "k", want))
	})
}
