package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

// tempBucket is a file:// bucket in a fresh directory, closed when the test
// ends; dir is that directory, for files that go beside the bucket (a store).
func tempBucket(t *testing.T) (b *blob.Bucket, dir string) {
	t.Helper()
	dir = t.TempDir()
	b, err := blob.Open(context.Background(), "file://"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, dir
}

// putBlob writes data at key, failing the test if it cannot.
func putBlob(t *testing.T, b *blob.Bucket, key string, data []byte) {
	t.Helper()
	if err := b.WriteAll(context.Background(), key, data, blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
}
