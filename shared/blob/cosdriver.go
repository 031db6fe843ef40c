package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/smsjump/smsjump/shared/cos"
)

// cosDriver keeps objects under a prefix of a COS bucket. Writes stream
// through a multipart upload (cos.Client.Upload), so memory stays at a few
// parts whatever the object size.
type cosDriver struct {
	c      *cos.Client
	prefix string
	upload cos.UploadOptions
}

// cosErr adds the blob kind to a COS error and strips nothing: the COS
// kinds (access denied, throttled) and hints stay in the chain.
func cosErr(err error) error {
	if errors.Is(err, cos.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

func (d *cosDriver) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	obj, err := d.c.Get(ctx, d.prefix+key, offset, length)
	if errors.Is(err, cos.ErrInvalidRange) {
		// 416 means the object exists and the range starts at or past its
		// end: read nothing, as the file backend does.
		return io.NopCloser(strings.NewReader("")), nil
	}
	if err != nil {
		return nil, cosErr(err)
	}
	return obj.Body, nil
}

func (d *cosDriver) NewWriter(ctx context.Context, key string, opts WriterOptions) (io.WriteCloser, error) {
	pr, pw := io.Pipe()
	w := &cosWriter{pw: pw, done: make(chan struct{})}
	up := d.upload
	up.ContentType = opts.ContentType
	go func() {
		defer close(w.done)
		_, err := d.c.Upload(ctx, d.prefix+key, pr, up)
		// Unblock a Write waiting on the pipe when the upload fails early.
		pr.CloseWithError(errOr(err, io.ErrClosedPipe))
		w.err = err
	}()
	return w, nil
}

func errOr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// cosWriter feeds the upload goroutine through a pipe.
type cosWriter struct {
	pw        *io.PipeWriter
	done      chan struct{}
	err       error // the upload's result, set before done is closed
	closeOnce sync.Once
	failed    error // a Write failed: the object must not be committed
}

func (w *cosWriter) Write(p []byte) (int, error) {
	n, err := w.pw.Write(p)
	if err != nil {
		w.failed = err
	}
	return n, err
}

// Close ends the stream and waits for the upload to complete or abort.
func (w *cosWriter) Close() error {
	w.closeOnce.Do(func() {
		if w.failed != nil {
			// Make the uploader fail instead of completing a short object.
			w.pw.CloseWithError(w.failed)
		} else {
			w.pw.Close()
		}
		<-w.done
	})
	if w.err != nil {
		return cosErr(w.err)
	}
	return w.failed
}

func (d *cosDriver) Stat(ctx context.Context, key string) (Attrs, error) {
	a, err := d.c.Head(ctx, d.prefix+key)
	if err != nil {
		return Attrs{}, cosErr(err)
	}
	return Attrs{Key: key, Size: a.Size, ETag: a.ETag, ModTime: a.LastModified, ContentType: a.ContentType}, nil
}

func (d *cosDriver) ListPage(ctx context.Context, prefix, token string, pageSize int) ([]Attrs, string, error) {
	objs, next, err := d.c.ListPage(ctx, d.prefix+prefix, token, pageSize)
	if err != nil {
		return nil, "", cosErr(err)
	}
	out := make([]Attrs, 0, len(objs))
	for _, o := range objs {
		key, ok := strings.CutPrefix(o.Key, d.prefix)
		if !ok || ValidateKey(key) != nil {
			continue // not an object this package could have written (e.g. "dir/" markers)
		}
		out = append(out, Attrs{Key: key, Size: o.Size, ETag: o.ETag, ModTime: o.LastModified})
	}
	return out, next, nil
}

func (d *cosDriver) Delete(ctx context.Context, key string) error {
	return cosErr(d.c.Delete(ctx, d.prefix+key))
}

func (d *cosDriver) Close() error { return nil }
