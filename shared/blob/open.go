package blob

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smsjump/smsjump/shared/cos"
)

// Option adjusts Open.
type Option func(*openOptions)

type openOptions struct {
	bucket      []BucketOption
	endpoint    string
	pathStyle   bool
	credentials aws.CredentialsProvider
	httpClient  cos.HTTPDoer
	upload      cos.UploadOptions
}

// WithBucketOptions passes options to the Bucket (e.g. WithListPageSize).
func WithBucketOptions(opts ...BucketOption) Option {
	return func(o *openOptions) { o.bucket = append(o.bucket, opts...) }
}

// WithCOSEndpoint applies COS_ENDPOINT / COS_PATH_STYLE to a cos:// URL
// that does not set endpoint / path_style itself.
func WithCOSEndpoint(endpoint string, pathStyle bool) Option {
	return func(o *openOptions) { o.endpoint, o.pathStyle = endpoint, pathStyle }
}

// WithCOSCredentials replaces the TENCENTCLOUD_* environment credentials.
func WithCOSCredentials(p aws.CredentialsProvider) Option {
	return func(o *openOptions) { o.credentials = p }
}

// WithCOSHTTPClient sets the HTTP client of the COS backend.
func WithCOSHTTPClient(c cos.HTTPDoer) Option {
	return func(o *openOptions) { o.httpClient = c }
}

// WithCOSUpload sets the multipart part size and concurrency of writes.
func WithCOSUpload(partSize int64, concurrency int) Option {
	return func(o *openOptions) { o.upload = cos.UploadOptions{PartSize: partSize, Concurrency: concurrency} }
}

// Open returns the Bucket named by rawURL:
//
//	file:///abs/dir                                   a local directory (created if missing)
//	cos://<bucket-appid>/<prefix>?region=ap-guangzhou  a COS bucket, under an optional prefix
//
// cos:// also takes endpoint=<url> and path_style=true, for local S3 servers.
func Open(ctx context.Context, rawURL string, opts ...Option) (*Bucket, error) {
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("%w: blob URL: %v", ErrConfig, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("%w: file URL %q names host %q; use file:///abs/dir", ErrConfig, rawURL, u.Host)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("%w: file URL %q takes no parameters or fragment (percent-encode '?' and '#' in paths)", ErrConfig, rawURL)
		}
		d, err := newFileDriver(u.Path)
		if err != nil {
			return nil, err
		}
		return NewBucket(d, o.bucket...), nil
	case "cos":
		u, err = url.Parse(cos.FillEndpoint(u.String(), o.endpoint, o.pathStyle))
		if err != nil {
			return nil, fmt.Errorf("%w: blob URL: %v", ErrConfig, err)
		}
		cfg, prefix, err := cos.ParseURL(u)
		if err != nil {
			return nil, fmt.Errorf("%w: blob URL: %w", ErrConfig, err)
		}
		cfg.Credentials = o.credentials
		cfg.HTTPClient = o.httpClient
		c, err := cos.NewClient(cfg)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrConfig, err)
		}
		return NewBucket(&cosDriver{c: c, prefix: prefix, upload: o.upload}, o.bucket...), nil
	default:
		return nil, fmt.Errorf("%w: blob URL scheme %q not supported; use file:///abs/dir or cos://bucket-appid/prefix?region=…", ErrConfig, u.Scheme)
	}
}
