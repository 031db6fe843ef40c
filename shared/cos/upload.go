package cos

import (
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Multipart upload settings. Memory held by one upload is about
// PartSize × (Concurrency + 1), 24 MiB here, whatever the object size.
const (
	DefaultPartSize    = 8 << 20
	DefaultConcurrency = 2
)

// UploadOptions qualify an Upload.
type UploadOptions struct {
	ContentType string
	// PartSize and Concurrency override the defaults above when positive.
	PartSize    int64
	Concurrency int
}

// Upload streams r into key: one PutObject when r holds less than a part,
// a multipart upload otherwise (aborted if r or ctx fails, so no partial
// object ever appears). It returns the new object's ETag.
//
// It uses feature/s3/manager, deprecated in favour of
// feature/s3/transfermanager, because transfermanager always asks for CRC32
// checksums, which COS rejects. The manager's own checksum switch defaults to
// CRC32 on every part too, so it is set to WhenRequired here as well.
func (c *Client) Upload(ctx context.Context, key string, r io.Reader, o UploadOptions) (string, error) {
	up := manager.NewUploader(c.s3, func(u *manager.Uploader) {
		u.PartSize = DefaultPartSize
		if o.PartSize > 0 {
			u.PartSize = o.PartSize
		}
		u.Concurrency = DefaultConcurrency
		if o.Concurrency > 0 {
			u.Concurrency = o.Concurrency
		}
		u.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	in := &s3.PutObjectInput{
		Bucket: aws.String(c.bucket),
		Key:    aws.String(key),
		Body:   r,
	}
	if o.ContentType != "" {
		in.ContentType = aws.String(o.ContentType)
	}
	out, err := up.Upload(ctx, in)
	if err != nil {
		return "", MapError("Upload", c.bucket, key, err)
	}
	return unquoteETag(aws.ToString(out.ETag)), nil
}
