// Package sdkclient builds aws-sdk-go-v2's full S3 client configured for COS,
// for what the functions never do: tools (doctor checks bucket versioning),
// test helpers (creating buckets) and the tests that hold cos.Client to the
// SDK's requests. Functions use cos.Client, which does not link service/s3
// (scripts/binsize_test.go keeps it so).
package sdkclient

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/tccred"
)

// New builds the SDK client for cfg's endpoint, region, addressing,
// credentials, HTTP client and retry limit. Pass its errors through
// cos.MapError. optFns adjust the options further, as in s3.New.
func New(cfg cos.Config, optFns ...func(*s3.Options)) (*s3.Client, error) {
	ep, err := cfg.EndpointURL()
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
		// plain with a Content-Length.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RetryMaxAttempts:           cfg.RetryMaxAttempts,
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	}
	return s3.New(opts, optFns...), nil
}
