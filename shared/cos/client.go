package cos

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/tccred"
)

// Client is an S3 client bound to one bucket. Its methods map errors to this
// package's kinds; S3 gives the raw client for anything else.
type Client struct {
	s3     *s3.Client
	bucket string
	region string
}

// NewClient validates cfg and builds the client. No request is sent.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s3c, err := NewS3Client(cfg)
	if err != nil {
		return nil, err
	}
	return &Client{s3: s3c, bucket: cfg.Bucket, region: cfg.Region}, nil
}

// NewS3Client builds an aws-sdk-go-v2 S3 client configured for COS.
func NewS3Client(cfg Config) (*s3.Client, error) {
	ep, err := cfg.endpoint()
	if err != nil {
		return nil, err
	}
	creds := cfg.Credentials
	if creds == nil {
		creds = tccred.AWSProvider()
	}
	opts := s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(ep),
		UsePathStyle: cfg.PathStyle,
		Credentials:  creds,
		// COS rejects the aws-chunked encoding with a CRC32 trailer that the
		// SDK sends by default since early 2025; WhenRequired keeps bodies
		// plain with a Content-Length. Local S3 servers accept both, so
		// TestPutObjectWireFormat is what guards this.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RetryMaxAttempts:           cfg.RetryMaxAttempts,
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	}
	return s3.New(opts), nil
}

// S3 returns the underlying client. Requests made with it get no error
// mapping; pass their errors through MapError.
func (c *Client) S3() *s3.Client { return c.s3 }

// Bucket returns the bucket name.
func (c *Client) Bucket() string { return c.bucket }

// Region returns the bucket's region.
func (c *Client) Region() string { return c.region }
