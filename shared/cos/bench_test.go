package cos_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
)

// BenchmarkPutGet is one small PutObject and one GetObject (what the cos://
// store does per write and per read) against a local server, through
// cos.Client and, as the baseline, through service/s3 as the functions used
// it before. The server's own cost is in both.
func BenchmarkPutGet(b *testing.B) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("ETag", `"0123456789abcdef0123456789abcdef"`)
		w.Header().Set("Last-Modified", "Sat, 28 Nov 2026 08:00:00 GMT")
		if r.Method == http.MethodGet {
			_, _ = w.Write(benchValue)
		}
	}))
	defer ts.Close()
	cfg := cos.Config{Bucket: "state-1250000000", Region: "ap-guangzhou", Endpoint: ts.URL, PathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDbench", "secret", "token"), HTTPClient: ts.Client()}
	ctx := context.Background()
	const key = "smsjump/scheme/0123456789abcdef"
	b.Run("client=cos", func(b *testing.B) {
		c, err := cos.NewClient(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Put(ctx, key, benchValue, cos.PutOptions{}); err != nil {
				b.Fatal(err)
			}
			obj, err := c.Get(ctx, key, 0, -1)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, obj.Body)
			obj.Body.Close()
		}
	})
	b.Run("client=service-s3", func(b *testing.B) {
		c, err := sdkclient.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(cfg.Bucket), Key: aws.String(key),
				Body: bytes.NewReader(benchValue), ContentLength: aws.Int64(int64(len(benchValue)))}); err != nil {
				b.Fatal(err)
			}
			out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(cfg.Bucket), Key: aws.String(key)})
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, out.Body)
			out.Body.Close()
		}
	})
}

var benchValue = bytes.Repeat([]byte("v"), 200)
