package cos_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/costest"
)

// These tests run against a real SigV4-verifying S3 server (see costest).

func newServerClient(t *testing.T) (*cos.Client, string) {
	t.Helper()
	cfg := costest.Config(t)
	c, err := cos.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, costest.Prefix(t, cfg)
}

func TestServerObjectLifecycle(t *testing.T) {
	c, p := newServerClient(t)
	ctx := context.Background()
	key := p + "活动/名单 1.csv"

	if _, err := c.Head(ctx, key); !errors.Is(err, cos.ErrNotFound) {
		t.Fatalf("head missing: %v", err)
	}
	if _, err := c.Get(ctx, key, 0, -1); !errors.Is(err, cos.ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
	etag1, err := c.Put(ctx, key, []byte("0123456789"), cos.PutOptions{ContentType: "text/csv"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Head(ctx, key)
	if err != nil || a.Size != 10 || a.ETag != etag1 || a.ContentType != "text/csv" || a.LastModified.IsZero() {
		t.Fatalf("head = %+v, %v (put etag %s)", a, err, etag1)
	}
	for _, r := range []struct {
		off, n int64
		want   string
	}{{0, -1, "0123456789"}, {3, 4, "3456"}, {7, -1, "789"}, {8, 100, "89"}, {4, 0, ""}} {
		obj, err := c.Get(ctx, key, r.off, r.n)
		if err != nil {
			t.Fatalf("get %d+%d: %v", r.off, r.n, err)
		}
		b, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		if err != nil || string(b) != r.want || obj.Size != 10 {
			t.Errorf("get %d+%d = %q size %d, %v; want %q size 10", r.off, r.n, b, obj.Size, err, r.want)
		}
	}
	if _, err := c.Get(ctx, key, 10, -1); !errors.Is(err, cos.ErrInvalidRange) {
		t.Errorf("range past end: %v, want ErrInvalidRange", err)
	}

	if _, err := c.Put(ctx, key, []byte("other"), cos.PutOptions{IfAbsent: true}); !errors.Is(err, cos.ErrExists) {
		t.Errorf("create-if-absent over an existing key: %v, want ErrExists", err)
	}
	if _, err := c.Put(ctx, key, []byte("other"), cos.PutOptions{IfMatch: "0000"}); !errors.Is(err, cos.ErrExists) {
		t.Errorf("if-match with a stale etag: %v, want ErrExists", err)
	}
	etag2, err := c.Put(ctx, key, []byte("replaced"), cos.PutOptions{IfMatch: etag1})
	if err != nil || etag2 == etag1 {
		t.Fatalf("if-match with the current etag: %q, %v", etag2, err)
	}

	objs, next, err := c.ListPage(ctx, p, "", 0)
	if err != nil || next != "" || len(objs) != 1 || objs[0].Key != key || objs[0].Size != 8 || objs[0].ETag != etag2 {
		t.Fatalf("list = %+v next %q, %v", objs, next, err)
	}
	if err := c.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := c.Delete(ctx, key); err != nil {
		t.Fatalf("deleting an absent key: %v", err)
	}
	if _, err := c.Put(ctx, key, []byte("new"), cos.PutOptions{IfAbsent: true}); err != nil {
		t.Fatalf("create-if-absent after delete: %v", err)
	}
}

func TestServerWrongSecret(t *testing.T) {
	cfg := costest.Config(t)
	s := costest.Lookup(t)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(s.Access, s.Secret+"-wrong", "")
	c, err := cos.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Put(context.Background(), "test/wrong-secret", []byte("x"), cos.PutOptions{})
	if !errors.Is(err, cos.ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	var ce *cos.Error
	if !errors.As(err, &ce) || ce.Code != "SignatureDoesNotMatch" || !strings.Contains(err.Error(), "check TENCENTCLOUD_SECRETKEY") {
		t.Fatalf("err = %v, want SignatureDoesNotMatch with a hint", err)
	}
	t.Logf("operator sees: %v", err)
}

func TestServerMultipartUpload(t *testing.T) {
	c, p := newServerClient(t)
	ctx := context.Background()
	const size = 12<<20 + 7 // two parts of 5 MiB and a tail
	src := io.LimitReader(repeatReader("smsjump-multipart-"), size)
	h := sha256.New()
	etag, err := c.Upload(ctx, p+"big.bin", io.TeeReader(src, h), cos.UploadOptions{PartSize: 5 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(etag, "-3") {
		t.Errorf("etag %q: want a 3-part multipart etag", etag)
	}
	obj, err := c.Get(ctx, p+"big.bin", 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Body.Close()
	h2 := sha256.New()
	n, err := io.Copy(h2, obj.Body)
	if err != nil || n != size || !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
		t.Fatalf("read back %d bytes, %v; hash match %v", n, err, bytes.Equal(h.Sum(nil), h2.Sum(nil)))
	}
}

type repeatReader string

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r[i%len(r)]
	}
	return len(p), nil
}
