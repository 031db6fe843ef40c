// Package blobtest is the conformance suite every blob backend passes: the
// same behaviours (missing keys, overwrite, ranges, listing with pagination,
// weird keys, large streamed objects, cancellation) run against the local
// directory and COS alike.
package blobtest

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

// Options tune the suite's sizes; zero values take the defaults.
type Options struct {
	// ManyKeys is how many objects the pagination test lists; the default
	// 1001 is past the 1000-key page limit of COS.
	ManyKeys int
	// LargeSize is the size of the streamed object; default 20 MiB.
	LargeSize int64
}

func (o Options) withDefaults() Options {
	if o.ManyKeys <= 0 {
		o.ManyKeys = 1001
	}
	if o.LargeSize <= 0 {
		o.LargeSize = 20 << 20
	}
	return o
}

// Run runs the suite with default options. newBucket must return an open,
// empty Bucket each time it is called (a fresh directory or prefix); the
// suite closes it.
func Run(t *testing.T, newBucket func(t *testing.T) *blob.Bucket) {
	t.Helper()
	RunWith(t, newBucket, Options{})
}

// RunWith runs the suite with opts.
func RunWith(t *testing.T, newBucket func(t *testing.T) *blob.Bucket, opts Options) {
	t.Helper()
	h := &harness{newBucket: newBucket, opts: opts.withDefaults()}
	tests := []struct {
		name string
		fn   func(*testing.T, *harness)
	}{
		{"MissingKey", testMissingKey},
		{"WriteRead", testWriteRead},
		{"EmptyObject", testEmptyObject},
		{"Overwrite", testOverwrite},
		{"Ranges", testRanges},
		{"InvalidArguments", testInvalidArguments},
		{"List", testList},
		{"ListPagination", testListPagination},
		{"WeirdKeys", testWeirdKeys},
		{"LargeStream", testLargeStream},
		{"ConcurrentOverwrite", testConcurrentOverwrite},
		{"CancelRead", testCancelRead},
		{"CancelWrite", testCancelWrite},
		{"FailedWriteAborts", testFailedWriteAborts},
		{"Closed", testClosed},
	}
	t.Run("blobtest", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				tt.fn(t, h)
			})
		}
	})
}

type harness struct {
	newBucket func(t *testing.T) *blob.Bucket
	opts      Options
}

func (h *harness) open(t *testing.T) *blob.Bucket {
	t.Helper()
	b := h.newBucket(t)
	if b == nil {
		t.Fatal("newBucket returned nil")
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

func write(t *testing.T, b *blob.Bucket, key, data string, ct string) {
	t.Helper()
	if err := b.WriteAll(t.Context(), key, []byte(data), blob.WriterOptions{ContentType: ct}); err != nil {
		t.Fatalf("WriteAll(%q): %v", key, err)
	}
}

func read(t *testing.T, b *blob.Bucket, key string) string {
	t.Helper()
	got, err := b.ReadAll(t.Context(), key)
	if err != nil {
		t.Fatalf("ReadAll(%q): %v", key, err)
	}
	return string(got)
}

func readRange(ctx context.Context, b *blob.Bucket, key string, off, n int64) (string, error) {
	r, err := b.NewRangeReader(ctx, key, off, n)
	if err != nil {
		return "", err
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	return string(got), err
}

func mustNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("%s: err = %v, want ErrNotFound", what, err)
	}
}
