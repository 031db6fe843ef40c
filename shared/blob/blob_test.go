package blob_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/blob/blobtest"
	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/costest"
)

func openFile(t testing.TB, dir string, opts ...blob.Option) *blob.Bucket {
	t.Helper()
	b, err := blob.Open(context.Background(), (&url.URL{Scheme: "file", Path: dir}).String(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFileConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) *blob.Bucket { return openFile(t, t.TempDir()) })
}

func TestFileConformanceSmallPages(t *testing.T) {
	blobtest.RunWith(t, func(t *testing.T) *blob.Bucket {
		return openFile(t, t.TempDir(), blob.WithBucketOptions(blob.WithListPageSize(7)))
	}, blobtest.Options{ManyKeys: 50, LargeSize: 1 << 20})
}

func openCOS(t testing.TB, opts ...blob.Option) *blob.Bucket {
	t.Helper()
	cfg := costest.Config(t)
	prefix := costest.Prefix(t, cfg)
	opts = append([]blob.Option{blob.WithCOSCredentials(cfg.Credentials), blob.WithCOSEndpoint(cfg.Endpoint, true)}, opts...)
	b, err := blob.Open(context.Background(), "cos://"+cfg.Bucket+"/"+prefix+"?region="+cfg.Region, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCOSConformance(t *testing.T) {
	costest.Lookup(t)
	blobtest.Run(t, func(t *testing.T) *blob.Bucket { return openCOS(t) })
}

func TestCOSConformanceSmallPages(t *testing.T) {
	costest.Lookup(t)
	blobtest.RunWith(t, func(t *testing.T) *blob.Bucket {
		return openCOS(t, blob.WithBucketOptions(blob.WithListPageSize(7)))
	}, blobtest.Options{ManyKeys: 30, LargeSize: 11 << 20})
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		url     string
		wantErr string
	}{
		{"file://" + dir, ""},
		{"file://" + filepath.Join(dir, "new", "sub"), ""},
		{"FILE://" + dir, ""},
		{"file://localhost" + dir, ""},
		{"file://relative/dir", "names host"},
		{"file:relative", "absolute"},
		{"file://" + dir + "?x=1", "no parameters"},
		{"file://" + dir + "#frag", "percent-encode"},
		{"cos://campaigns-1250000000/in?region=ap-guangzhou", ""},
		{"cos://campaigns-1250000000/in", "region"},
		{"cos://campaigns/in?region=ap-guangzhou", "<name>-<appid>"},
		{"s3://bucket/x", "not supported"},
		{"", "not supported"},
	}
	for _, tt := range tests {
		b, err := blob.Open(context.Background(), tt.url)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("Open(%q): %v", tt.url, err)
			} else {
				b.Close()
			}
			continue
		}
		if !errors.Is(err, blob.ErrConfig) || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Open(%q) = %v, want ErrConfig mentioning %q", tt.url, err, tt.wantErr)
		}
	}
}

func TestValidateKey(t *testing.T) {
	good := []string{"a", "uploads/名单.csv", "with space", "a/b/c", "..a", "a..", "~", "a\\b", strings.Repeat("k", blob.MaxKeyLen)}
	bad := []string{"", "/a", "a/", "a//b", "..", ".", "a/../b", "a/./b", "x\x00", "x\n", "x\x7f", "\xff", strings.Repeat("k", blob.MaxKeyLen+1)}
	for _, k := range good {
		if err := blob.ValidateKey(k); err != nil {
			t.Errorf("ValidateKey(%q) = %v", k, err)
		}
	}
	for _, k := range bad {
		if err := blob.ValidateKey(k); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("ValidateKey(%q) = %v, want ErrInvalidKey", k, err)
		}
	}
}

// FuzzFileKey: whatever key a caller (or a COS event) supplies, the file
// backend either refuses it or keeps the object inside its directory.
func FuzzFileKey(f *testing.F) {
	for _, k := range []string{"a", "../x", "a/../../x", "a/b", "/etc/passwd", "a\x00b", ".blobtmp-x", "名单.csv"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		root := t.TempDir()
		dir := filepath.Join(root, "bucket")
		b := openFile(t, dir)
		defer b.Close()
		err := b.WriteAll(context.Background(), key, []byte("x"), blob.WriterOptions{})
		if err != nil {
			return
		}
		if blob.ValidateKey(key) != nil {
			t.Fatalf("wrote invalid key %q", key)
		}
		p := filepath.Join(dir, filepath.FromSlash(key))
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("key %q not stored at %s: %v", key, p, err)
		}
		entries, _ := os.ReadDir(root)
		if len(entries) != 1 {
			t.Fatalf("key %q wrote outside the bucket directory", key)
		}
	})
}

func TestFileTempFilesHidden(t *testing.T) {
	dir := t.TempDir()
	b := openFile(t, dir)
	defer b.Close()
	ctx := context.Background()
	w, err := b.NewWriter(ctx, "reports/r.csv", blob.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("in progress")); err != nil {
		t.Fatal(err)
	}
	for a, err := range b.List(ctx, "") {
		t.Errorf("List during a write shows %+v, %v", a, err)
	}
	if _, err := b.Stat(ctx, "reports/r.csv"); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("object visible before Close: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteAll(ctx, "reports/.blobtmp-x", nil, blob.WriterOptions{}); !errors.Is(err, blob.ErrInvalidKey) {
		t.Errorf("reserved temp name accepted: %v", err)
	}
	if err := b.Delete(ctx, "reports/r.csv"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Delete left %d entries (empty directories or temp files)", len(entries))
	}
}

func TestFileETagStable(t *testing.T) {
	b := openFile(t, t.TempDir())
	defer b.Close()
	ctx := context.Background()
	if err := b.WriteAll(ctx, "k", []byte("v1"), blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	a1, _ := b.Stat(ctx, "k")
	a2, _ := b.Stat(ctx, "k")
	if a1.ETag == "" || a1.ETag != a2.ETag {
		t.Errorf("ETag not stable across Stat: %q %q", a1.ETag, a2.ETag)
	}
	var listed string
	for a, err := range b.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		listed = a.ETag
	}
	if listed != a1.ETag {
		t.Errorf("List ETag %q != Stat ETag %q", listed, a1.ETag)
	}
	// The ETag is the content's MD5, like COS gives for a simple upload.
	if a1.ETag != "6654c734ccab8f440ff0825eb443dc7f" { // md5("v1")
		t.Errorf("ETag %q is not the content's MD5", a1.ETag)
	}
	// Same bytes rewritten: the same ETag, so the same upload is the same job.
	if err := b.WriteAll(ctx, "k", []byte("v1"), blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if a3, _ := b.Stat(ctx, "k"); a3.ETag != a1.ETag {
		t.Errorf("rewriting the same bytes changed the ETag: %q %q", a1.ETag, a3.ETag)
	}
	if err := b.WriteAll(ctx, "k", []byte("v2"), blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if a4, _ := b.Stat(ctx, "k"); a4.ETag == a1.ETag {
		t.Error("new bytes kept the ETag")
	}
}

// A file copied into the directory by hand (cp, an editor's save) gets
// the ETag of its bytes however often it is copied or touched, and a new
// one as soon as its bytes change, even at the same size.
func TestFileETagOfFilesCopiedIn(t *testing.T) {
	dir := t.TempDir()
	b := openFile(t, dir)
	defer b.Close()
	ctx := context.Background()
	p := filepath.Join(dir, "uploads", "x.csv")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	etag := func() string {
		t.Helper()
		a, err := b.Stat(ctx, "uploads/x.csv")
		if err != nil {
			t.Fatal(err)
		}
		return a.ETag
	}
	copyIn := func(data string) {
		t.Helper()
		tmp := filepath.Join(dir, "tmp-copy")
		if err := os.WriteFile(tmp, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, p); err != nil { // a new inode and mtime
			t.Fatal(err)
		}
	}
	copyIn("phone\n13900000001\n")
	first := etag()
	copyIn("phone\n13900000001\n")
	if got := etag(); got != first {
		t.Errorf("copying the same file again changed the ETag: %q %q", first, got)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if got := etag(); got != first {
		t.Errorf("touching the file changed the ETag")
	}
	if err := os.WriteFile(p, []byte("phone\n13900000002\n"), 0o644); err != nil { // same size, in place
		t.Fatal(err)
	}
	if got := etag(); got == first {
		t.Errorf("new bytes of the same size kept the ETag")
	}
}

func TestCOSErrorsKeepCOSKinds(t *testing.T) {
	s := costest.Lookup(t)
	cfg := costest.Config(t)
	b, err := blob.Open(context.Background(), "cos://"+cfg.Bucket+"/x?region="+cfg.Region,
		blob.WithCOSEndpoint(s.Endpoint, true),
		blob.WithCOSCredentials(wrongSecret(s)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Stat(context.Background(), "k")
	if !errors.Is(err, cos.ErrAccessDenied) || !strings.Contains(err.Error(), "TENCENTCLOUD_SECRETKEY") {
		t.Errorf("wrong secret: %v", err)
	}
	err = b.WriteAll(context.Background(), "k", []byte("v"), blob.WriterOptions{})
	if !errors.Is(err, cos.ErrAccessDenied) {
		t.Errorf("write with a wrong secret: %v", err)
	}
}
