package cos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of the conditional writes.
const (
	// HeaderForbidOverwrite is COS's create-if-absent switch (409
	// FileAlreadyExists when the key exists; ignored on buckets that ever had
	// versioning enabled).
	HeaderForbidOverwrite = "x-cos-forbid-overwrite"
	headerIfNoneMatch     = "If-None-Match"
	headerIfMatch         = "If-Match"
)

// Attrs describes an object. ContentType is empty in listings (S3 listings do
// not carry it).
type Attrs struct {
	Key          string
	Size         int64
	ETag         string // without the surrounding quotes
	LastModified time.Time
	ContentType  string
}

// PutOptions qualify a Put.
type PutOptions struct {
	ContentType string
	// IfAbsent fails the write with ErrExists when the key exists. It sends
	// both COS's x-cos-forbid-overwrite: true and the S3 standard
	// If-None-Match: *, so the same code is atomic on COS and on
	// S3-compatible servers; both headers are signed.
	IfAbsent bool
	// IfMatch fails the write with ErrExists unless the object's ETag is
	// this. S3-compatible servers honour it; COS documents If-Match only for
	// reads.
	IfMatch string
}

// Put writes a small object in one PutObject request and returns its ETag.
// Large or streamed objects go through Upload.
func (c *Client) Put(ctx context.Context, key string, body []byte, o PutOptions) (string, error) {
	const op = "PutObject"
	if o.IfAbsent && o.IfMatch != "" {
		return "", &Error{Op: op, Bucket: c.bucket, Key: key, Err: errors.New("IfAbsent and IfMatch exclude each other")}
	}
	resp, err := c.put(ctx, key, body, o)
	if err != nil {
		return "", MapError(op, c.bucket, key, err)
	}
	return unquoteETag(resp.Header.Get("ETag")), nil
}

// put sends one PutObject; the answer's body is already drained.
func (c *Client) put(ctx context.Context, key string, body []byte, o PutOptions) (*http.Response, error) {
	const op = "PutObject"
	// The SDK's default type, kept: COS serves it back on download.
	h := http.Header{"Content-Type": {"application/octet-stream"}}
	if o.ContentType != "" {
		h.Set("Content-Type", o.ContentType)
	}
	if o.IfAbsent {
		h.Set(HeaderForbidOverwrite, "true")
		h.Set(headerIfNoneMatch, "*")
	}
	if o.IfMatch != "" {
		h.Set(headerIfMatch, quoteETag(o.IfMatch))
	}
	resp, err := c.do(ctx, &call{
		op: op, method: http.MethodPut, key: key, query: [][2]string{{"x-id", op}},
		header: h, body: nonNil(body), unsignedOverTLS: true,
		conditional: o.IfAbsent || o.IfMatch != "",
	})
	if err != nil {
		return nil, err
	}
	drain(resp)
	return resp, nil
}

// nonNil makes an empty body a body: a PUT of zero bytes still sends
// Content-Length: 0.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// drain reads what is left of a small answer so the connection is reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
}

// Object is an open object body. Attrs.Size is the size of the whole object,
// not of the range read.
type Object struct {
	Body io.ReadCloser
	Attrs
}

// Get opens key for reading from offset; length < 0 reads to the end. A
// range that starts at or past the end of a non-empty object gives
// ErrInvalidRange.
func (c *Client) Get(ctx context.Context, key string, offset, length int64) (*Object, error) {
	const op = "GetObject"
	if offset < 0 {
		return nil, &Error{Op: op, Bucket: c.bucket, Key: key, Err: fmt.Errorf("negative offset %d", offset)}
	}
	if length == 0 {
		// "bytes=n-(n-1)" is not a valid range; answer from HEAD instead.
		a, err := c.Head(ctx, key)
		if err != nil {
			return nil, err
		}
		return &Object{Body: io.NopCloser(strings.NewReader("")), Attrs: a}, nil
	}
	h := http.Header{}
	switch {
	case length > 0:
		h.Set("Range", fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	case offset > 0:
		h.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	}
	// No Range header for a whole read: S3 answers 416 to "bytes=0-" on an
	// empty object.
	resp, err := c.do(ctx, &call{op: op, method: http.MethodGet, key: key, query: [][2]string{{"x-id", op}}, header: h})
	if err != nil {
		return nil, MapError(op, c.bucket, key, err)
	}
	a := attrsOf(key, resp)
	if total, ok := contentRangeTotal(resp.Header.Get("Content-Range")); ok {
		a.Size = total
	}
	return &Object{Body: resp.Body, Attrs: a}, nil
}

// Head returns the attributes of key.
func (c *Client) Head(ctx context.Context, key string) (Attrs, error) {
	const op = "HeadObject"
	resp, err := c.do(ctx, &call{op: op, method: http.MethodHead, key: key})
	if err != nil {
		return Attrs{}, MapError(op, c.bucket, key, err)
	}
	drain(resp)
	return attrsOf(key, resp), nil
}

// attrsOf reads an object's attributes from the headers of a GET or HEAD.
func attrsOf(key string, resp *http.Response) Attrs {
	a := Attrs{
		Key:         key,
		ETag:        unquoteETag(resp.Header.Get("ETag")),
		ContentType: resp.Header.Get("Content-Type"),
	}
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); err == nil {
		a.Size = n
	} else if resp.ContentLength > 0 {
		a.Size = resp.ContentLength
	}
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		a.LastModified = t
	}
	return a
}

// Delete removes key. Deleting an absent key is not an error. (Objects are
// deleted one by one on purpose: DeleteObjects always sends a CRC32 checksum
// and no Content-MD5, which COS rejects.)
func (c *Client) Delete(ctx context.Context, key string) error {
	const op = "DeleteObject"
	resp, err := c.do(ctx, &call{op: op, method: http.MethodDelete, key: key, query: [][2]string{{"x-id", op}}})
	if err == nil {
		drain(resp)
	}
	err = MapError(op, c.bucket, key, err)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// contentRangeTotal parses the total size out of "bytes 0-9/100".
func contentRangeTotal(cr string) (int64, bool) {
	i := strings.LastIndexByte(cr, '/')
	if i < 0 || !strings.HasPrefix(cr, "bytes ") {
		return 0, false
	}
	n, err := strconv.ParseInt(cr[i+1:], 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func unquoteETag(s string) string {
	s = strings.TrimPrefix(s, "W/")
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func quoteETag(s string) string {
	if strings.HasPrefix(s, `"`) {
		return s
	}
	return `"` + s + `"`
}
