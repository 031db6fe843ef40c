package blob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"sync/atomic"
)

// DefaultListPageSize is the page size List asks a driver for.
const DefaultListPageSize = 1000

// Bucket is the handle callers hold. It is safe for concurrent use.
type Bucket struct {
	d        Driver
	pageSize int
	closed   atomic.Bool
}

// BucketOption adjusts a Bucket.
type BucketOption func(*Bucket)

// WithListPageSize sets how many objects List fetches per request (COS
// caps it at 1000); tests lower it to exercise pagination.
func WithListPageSize(n int) BucketOption {
	return func(b *Bucket) {
		if n > 0 {
			b.pageSize = n
		}
	}
}

// NewBucket puts a Bucket in front of a driver.
func NewBucket(d Driver, opts ...BucketOption) *Bucket {
	b := &Bucket{d: d, pageSize: DefaultListPageSize}
	for _, o := range opts {
		o(b)
	}
	return b
}

func (b *Bucket) check(ctx context.Context, op, key string) error {
	if b.closed.Load() {
		return fmt.Errorf("blob %s %s: %w", op, key, ErrClosed)
	}
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("blob %s: %w", op, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("blob %s %s: %w", op, key, err)
	}
	return nil
}

// NewReader streams the whole object. The caller must Close it.
func (b *Bucket) NewReader(ctx context.Context, key string) (io.ReadCloser, error) {
	return b.NewRangeReader(ctx, key, 0, -1)
}

// NewRangeReader streams length bytes from offset; length -1 reads to the
// end. A range past the end is cut short (reading nothing if it starts at
// or after the end), so a job can resume a CSV at a saved byte offset
// without knowing whether it had finished.
func (b *Bucket) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := b.check(ctx, "read", key); err != nil {
		return nil, err
	}
	if err := checkRange(offset, length); err != nil {
		return nil, fmt.Errorf("blob read %s: %w", key, err)
	}
	return b.d.NewRangeReader(ctx, key, offset, length)
}

// NewWriter returns a streaming writer. The object appears, whole, when
// Close returns nil; cancel ctx to abandon the write (Close then returns the
// context's error and the previous object, if any, is unchanged). Always
// Close the writer.
func (b *Bucket) NewWriter(ctx context.Context, key string, opts WriterOptions) (io.WriteCloser, error) {
	if err := b.check(ctx, "write", key); err != nil {
		return nil, err
	}
	return b.d.NewWriter(ctx, key, opts)
}

// Stat returns the object's attributes.
func (b *Bucket) Stat(ctx context.Context, key string) (Attrs, error) {
	if err := b.check(ctx, "stat", key); err != nil {
		return Attrs{}, err
	}
	return b.d.Stat(ctx, key)
}

// Delete removes key; deleting an absent key is not an error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := b.check(ctx, "delete", key); err != nil {
		return err
	}
	return b.d.Delete(ctx, key)
}

// List yields the objects whose key starts with prefix, in key order,
// fetching one page at a time. An error ends the sequence.
func (b *Bucket) List(ctx context.Context, prefix string) iter.Seq2[Attrs, error] {
	return func(yield func(Attrs, error) bool) {
		if b.closed.Load() {
			yield(Attrs{}, fmt.Errorf("blob list %s: %w", prefix, ErrClosed))
			return
		}
		if err := validatePrefix(prefix); err != nil {
			yield(Attrs{}, fmt.Errorf("blob: %w", err))
			return
		}
		token := ""
		for {
			if err := ctx.Err(); err != nil {
				yield(Attrs{}, fmt.Errorf("blob list %s: %w", prefix, err))
				return
			}
			objs, next, err := b.d.ListPage(ctx, prefix, token, b.pageSize)
			if err != nil {
				yield(Attrs{}, err)
				return
			}
			for _, o := range objs {
				if !yield(o, nil) {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}

// ReadAll reads a whole object into memory; for small objects (manifests,
// progress files) only.
func (b *Bucket) ReadAll(ctx context.Context, key string) ([]byte, error) {
	r, err := b.NewReader(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("blob read %s: %w", key, err)
	}
	return buf.Bytes(), nil
}

// WriteAll writes data as the whole object.
func (b *Bucket) WriteAll(ctx context.Context, key string, data []byte, opts WriterOptions) error {
	w, err := b.NewWriter(ctx, key, opts)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Close releases the driver; later calls return ErrClosed.
func (b *Bucket) Close() error {
	if b.closed.Swap(true) {
		return nil
	}
	return b.d.Close()
}
