package cos_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
)

// FuzzListMatchesSDK: whatever a server answers to ListObjectsV2 with 200,
// ListPage returns what ListPage built from service/s3's decoding before:
// the same objects and next token, or an error where the SDK failed.
func FuzzListMatchesSDK(f *testing.F) {
	f.Add(`<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated><NextContinuationToken>1/abc==</NextContinuationToken><Contents><Key>p/活动 1.csv</Key><LastModified>2026-11-28T08:00:00.000Z</LastModified><ETag>&quot;0123&quot;</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>p/b&amp;c</Key><LastModified>2026-11-28T08:00:01Z</LastModified><ETag>"4567-2"</ETag><Size>0</Size></Contents></ListBucketResult>`)
	f.Add(`<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>`)
	f.Add(`<ListBucketResult><IsTruncated>false</IsTruncated><NextContinuationToken>ignored</NextContinuationToken><Contents><Key>k</Key><Size>12345678901</Size></Contents></ListBucketResult>`)
	f.Add(`<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents></ListBucketResult>`)
	f.Add(`<ListBucketResult><Contents><Key>k</Key><LastModified>yesterday</LastModified></Contents></ListBucketResult>`)
	f.Add(``)
	var body string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	f.Fuzz(func(t *testing.T, b string) {
		body = b
		got, gotNext, gotErr := ours.ListPage(ctx, "p/", "", 0)
		out, sdkErr := sdk.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(cfg.Bucket), Prefix: aws.String("p/"), MaxKeys: aws.Int32(1000)})
		if (gotErr != nil) != (sdkErr != nil) {
			t.Fatalf("body %q: ours err %v, SDK err %v", b, gotErr, sdkErr)
		}
		if sdkErr != nil {
			return
		}
		want := make([]cos.Attrs, 0, len(out.Contents))
		for _, o := range out.Contents {
			want = append(want, cos.Attrs{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size),
				ETag: cos.UnquoteETag(aws.ToString(o.ETag)), LastModified: aws.ToTime(o.LastModified)})
		}
		var wantNext string
		if aws.ToBool(out.IsTruncated) {
			wantNext = aws.ToString(out.NextContinuationToken)
		}
		if !reflect.DeepEqual(got, want) || gotNext != wantNext {
			t.Fatalf("body %q:\n ours %+v next %q\n sdk  %+v next %q", b, got, gotNext, want, wantNext)
		}
	})
}
