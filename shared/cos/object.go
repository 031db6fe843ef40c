package cos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
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
	// IfAbsent fails the write with ErrExists when the key exists.
	IfAbsent bool
	// IfMatch fails the write with ErrExists unless the object's ETag is this.
	IfMatch string
}

// Put writes a small object in one PutObject request and returns its ETag.
// Large or streamed objects go through Upload.
func (c *Client) Put(ctx context.Context, key string, body []byte, o PutOptions) (string, error) {
	const op = "PutObject"
	if o.IfAbsent && o.IfMatch != "" {
		return "", &Error{Op: op, Bucket: c.bucket, Key: key, Err: errors.New("IfAbsent and IfMatch exclude each other")}
	}
	in := &s3.PutObjectInput{
		Bucket:        aws.String(c.bucket),
		Key:           aws.String(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(int64(len(body))),
	}
	if o.ContentType != "" {
		in.ContentType = aws.String(o.ContentType)
	}
	var opts []func(*s3.Options)
	if o.IfAbsent {
		opts = append(opts, WithCreateIfAbsent())
	}
	if o.IfMatch != "" {
		opts = append(opts, WithIfMatch(o.IfMatch))
	}
	out, err := c.s3.PutObject(ctx, in, opts...)
	if err != nil {
		return "", MapError(op, c.bucket, key, err)
	}
	return unquoteETag(aws.ToString(out.ETag)), nil
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
	in := &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key)}
	switch {
	case length > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", offset, offset+length-1))
	case offset > 0:
		in.Range = aws.String(fmt.Sprintf("bytes=%d-", offset))
	}
	// No Range header for a whole read: S3 answers 416 to "bytes=0-" on an
	// empty object.
	out, err := c.s3.GetObject(ctx, in)
	if err != nil {
		return nil, MapError(op, c.bucket, key, err)
	}
	size := aws.ToInt64(out.ContentLength)
	if total, ok := contentRangeTotal(aws.ToString(out.ContentRange)); ok {
		size = total
	}
	return &Object{
		Body: out.Body,
		Attrs: Attrs{
			Key:          key,
			Size:         size,
			ETag:         unquoteETag(aws.ToString(out.ETag)),
			LastModified: aws.ToTime(out.LastModified),
			ContentType:  aws.ToString(out.ContentType),
		},
	}, nil
}

// Head returns the attributes of key.
func (c *Client) Head(ctx context.Context, key string) (Attrs, error) {
	out, err := c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key)})
	if err != nil {
		return Attrs{}, MapError("HeadObject", c.bucket, key, err)
	}
	return Attrs{
		Key:          key,
		Size:         aws.ToInt64(out.ContentLength),
		ETag:         unquoteETag(aws.ToString(out.ETag)),
		LastModified: aws.ToTime(out.LastModified),
		ContentType:  aws.ToString(out.ContentType),
	}, nil
}

// Delete removes key. Deleting an absent key is not an error. (Objects are
// deleted one by one on purpose: DeleteObjects always sends a CRC32 checksum
// and no Content-MD5, which COS rejects.)
func (c *Client) Delete(ctx context.Context, key string) error {
	_, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(c.bucket), Key: aws.String(key)})
	err = MapError("DeleteObject", c.bucket, key, err)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// MaxListPage is the most keys one listing request returns.
const MaxListPage = 1000

// ListPage returns up to pageSize objects whose key starts with prefix, in
// key order, starting after token (empty for the first page). next is empty
// after the last page.
func (c *Client) ListPage(ctx context.Context, prefix, token string, pageSize int) (objs []Attrs, next string, err error) {
	if pageSize <= 0 || pageSize > MaxListPage {
		pageSize = MaxListPage
	}
	in := &s3.ListObjectsV2Input{
		Bucket:  aws.String(c.bucket),
		MaxKeys: aws.Int32(int32(pageSize)),
	}
	if prefix != "" {
		in.Prefix = aws.String(prefix)
	}
	if token != "" {
		in.ContinuationToken = aws.String(token)
	}
	out, err := c.s3.ListObjectsV2(ctx, in)
	if err != nil {
		return nil, "", MapError("ListObjectsV2", c.bucket, prefix, err)
	}
	objs = make([]Attrs, 0, len(out.Contents))
	for _, o := range out.Contents {
		objs = append(objs, Attrs{
			Key:          aws.ToString(o.Key),
			Size:         aws.ToInt64(o.Size),
			ETag:         unquoteETag(aws.ToString(o.ETag)),
			LastModified: aws.ToTime(o.LastModified),
		})
	}
	if aws.ToBool(out.IsTruncated) {
		next = aws.ToString(out.NextContinuationToken)
	}
	return objs, next, nil
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
