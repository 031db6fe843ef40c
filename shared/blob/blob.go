// Package blob holds the objects of a campaign — the uploaded CSV and
// manifest, the reports — in a local directory or a COS bucket, behind one
// concrete Bucket type with streaming reads, range reads and writes.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Error kinds. COS errors keep their own kinds in the chain too
// (cos.ErrAccessDenied, cos.ErrThrottled…).
var (
	// ErrNotFound: no object under the key.
	ErrNotFound = errors.New("blob: not found")
	// ErrInvalidKey: the key cannot name an object (see ValidateKey).
	ErrInvalidKey = errors.New("blob: invalid key")
	// ErrInvalidArgument: a negative offset or a length below -1.
	ErrInvalidArgument = errors.New("blob: invalid argument")
	// ErrClosed: the Bucket was closed.
	ErrClosed = errors.New("blob: bucket closed")
	// ErrConfig: the bucket URL or its settings are wrong.
	ErrConfig = errors.New("blob: bad configuration")
)

// Attrs describes an object.
type Attrs struct {
	Key  string
	Size int64
	// ETag changes whenever the object is rewritten. On COS it is the
	// server's ETag; for files see the file backend.
	ETag    string
	ModTime time.Time
	// ContentType is empty in List results.
	ContentType string
}

// WriterOptions qualify a write.
type WriterOptions struct {
	// ContentType is stored with the object; empty means guessed from the
	// key's extension by the backend, or application/octet-stream.
	ContentType string
}

// Driver is what a backend implements. Bucket validates keys and arguments
// before calling it, so a driver sees only valid keys, offset >= 0 and
// length >= -1.
type Driver interface {
	// NewRangeReader reads length bytes from offset (-1: to the end). A
	// range starting at or past the end reads nothing.
	NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// NewWriter returns a writer whose Close makes the object appear whole;
	// if ctx is done before Close returns, the object is left unchanged.
	NewWriter(ctx context.Context, key string, opts WriterOptions) (io.WriteCloser, error)
	Stat(ctx context.Context, key string) (Attrs, error)
	// ListPage returns up to pageSize objects with the prefix, in key order,
	// after token; next is "" after the last page.
	ListPage(ctx context.Context, prefix, token string, pageSize int) (objs []Attrs, next string, err error)
	// Delete removes key; an absent key is not an error.
	Delete(ctx context.Context, key string) error
	Close() error
}

// checkRange validates a range request.
func checkRange(offset, length int64) error {
	if offset < 0 || length < -1 {
		return fmt.Errorf("%w: range offset %d length %d", ErrInvalidArgument, offset, length)
	}
	return nil
}
