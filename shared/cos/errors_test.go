package cos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func xmlError(status int, code, msg string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-cos-request-id", "req-123")
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method == http.MethodHead {
			return // HEAD responses have no body
		}
		_, _ = fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>req-123</RequestId></Error>`, code, msg)
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name     string
		op       string // get, head, put, delete
		status   int
		code     string
		wantKind error
		wantText []string
	}{
		{"missing object", "get", 404, "NoSuchKey", ErrNotFound, []string{"cos GetObject k:", "NoSuchKey", "req-123"}},
		{"missing object head", "head", 404, "", ErrNotFound, []string{"cos HeadObject k:"}},
		{"missing bucket", "get", 404, "NoSuchBucket", ErrBucketNotFound, []string{"check BUCKET"}},
		{"delete absent is fine", "delete", 404, "NoSuchKey", nil, nil},
		{"forbid overwrite", "put", 409, "FileAlreadyExists", ErrExists, nil},
		{"if-none-match", "put", 412, "PreconditionFailed", ErrExists, nil},
		{"role lacks permission", "get", 403, "AccessDenied", ErrAccessDenied, []string{"execution role has COS permissions for bucket campaigns-1250000000"}},
		{"head forbidden", "head", 403, "", ErrAccessDenied, []string{"execution role", "TENCENTCLOUD_SECRETKEY"}},
		{"bad secret", "put", 403, "SignatureDoesNotMatch", ErrAccessDenied, []string{"check TENCENTCLOUD_SECRETKEY"}},
		{"unknown key id", "put", 403, "InvalidAccessKeyId", ErrAccessDenied, []string{"check TENCENTCLOUD_SECRETID"}},
		{"expired token", "get", 400, "ExpiredToken", ErrAccessDenied, []string{"TENCENTCLOUD_SESSIONTOKEN"}},
		{"slow down", "put", 503, "SlowDown", ErrThrottled, nil},
		{"too many requests", "get", 429, "TooManyRequests", ErrThrottled, nil},
		{"range past end", "get", 416, "InvalidRange", ErrInvalidRange, nil},
		{"unclassified", "get", 500, "InternalError", nil, []string{"cos GetObject k: InternalError", "HTTP 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{handler: xmlError(tt.status, tt.code, "message from server")}
			c := newFakeClient(t, rec, nil)
			ctx := context.Background()
			var err error
			switch tt.op {
			case "get":
				_, err = c.Get(ctx, "k", 5, -1)
			case "head":
				_, err = c.Head(ctx, "k")
			case "put":
				_, err = c.Put(ctx, "k", []byte("v"), PutOptions{IfAbsent: true})
			case "delete":
				err = c.Delete(ctx, "k")
			}
			if tt.wantKind == nil && tt.wantText == nil {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, k := range []error{ErrNotFound, ErrBucketNotFound, ErrExists, ErrAccessDenied, ErrThrottled, ErrInvalidRange} {
				if got, want := errors.Is(err, k), k == tt.wantKind; got != want {
					t.Errorf("errors.Is(err, %v) = %v, want %v; err = %v", k, got, want, err)
				}
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Status != tt.status {
				t.Errorf("want *Error with status %d, got %#v", tt.status, err)
			}
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Errorf("the SDK's APIError is not reachable through %v", err)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestErrorMappingContextAndTransport(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := newFakeClient(t, &recorder{handler: okHandler}, nil)
	_, err := c.Get(ctx, "k", 0, -1)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	var ce *Error
	if !errors.As(err, &ce) || ce.Kind != nil {
		t.Errorf("cancelled: want an unclassified *Error, got %#v", err)
	}

	broken := newFakeClient(t, nil, func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, io.ErrUnexpectedEOF
		})}
	})
	_, err = broken.Head(context.Background(), "k")
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.HasPrefix(err.Error(), "cos HeadObject k: ") {
		t.Errorf("transport failure: err = %v", err)
	}
	if MapError("op", "b", "k", nil) != nil {
		t.Error("MapError(nil) != nil")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
