// Package cos talks to Tencent Cloud Object Storage through its S3-compatible
// API: plain net/http requests signed with aws-sdk-go-v2's SigV4 signer, the
// way COS needs them (no aws-chunked checksums, create-if-absent headers),
// retried as the SDK retries, with errors mapped to kinds that callers act on.
package cos

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// ErrConfig is the kind of every configuration error from NewClient.
var ErrConfig = errors.New("cos: invalid configuration")

// Config says which bucket to reach and how.
type Config struct {
	// Bucket is the full bucket name, <name>-<appid> on COS (for example
	// campaigns-1250000000).
	Bucket string
	// Region is the bucket's region, for example ap-guangzhou. It is part of
	// the SigV4 scope and of the default endpoint.
	Region string
	// Endpoint overrides https://cos.<region>.myqcloud.com, for an internal
	// endpoint or a local S3 server; http:// is allowed.
	Endpoint string
	// PathStyle puts the bucket in the path instead of the host name; local S3
	// servers on 127.0.0.1 need it, COS itself does not.
	PathStyle bool
	// Credentials signs requests; nil means the TENCENTCLOUD_* variables,
	// re-read at every request (tccred.AWSProvider).
	Credentials aws.CredentialsProvider
	// HTTPClient sends the requests; nil means the SDK's default client
	// (awshttp.NewBuildableClient).
	HTTPClient HTTPDoer
	// RetryMaxAttempts caps the attempts at throttled and transient
	// failures (the SDK's standard retryer); 0 means its default, 3.
	RetryMaxAttempts int
}

// HTTPDoer sends a request; *http.Client is one.
type HTTPDoer interface {
	Do(*http.Request) (*http.Response, error)
}

var (
	regionRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)
	// S3 bucket naming rules, which COS follows for <name>-<appid> too.
	bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// COS buckets end in -<appid>, a number of at least 7 digits.
	cosBucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*-[0-9]{7,}$`)
)

// DefaultEndpoint is the public COS endpoint of a region.
func DefaultEndpoint(region string) string {
	return "https://cos." + region + ".myqcloud.com"
}

// EndpointURL returns the endpoint to use, validated, without a trailing "/".
func (c Config) EndpointURL() (string, error) {
	if c.Endpoint == "" {
		return DefaultEndpoint(c.Region), nil
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil {
		return "", fmt.Errorf("%w: COS_ENDPOINT %q is not a URL: %v", ErrConfig, c.Endpoint, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: COS_ENDPOINT %q must look like https://host[:port]", ErrConfig, c.Endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%w: COS_ENDPOINT %q must not carry a query, fragment or user info", ErrConfig, c.Endpoint)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// isCOSHost reports whether the endpoint is Tencent's own, where the
// <name>-<appid> bucket rule applies.
func isCOSHost(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return strings.HasSuffix(h, ".myqcloud.com") || strings.HasSuffix(h, ".tencentcos.cn")
}

// Validate checks the configuration and names the variable to fix.
func (c Config) Validate() error {
	var errs []error
	if !regionRE.MatchString(c.Region) {
		errs = append(errs, fmt.Errorf("%w: COS_REGION %q must be a region such as ap-guangzhou", ErrConfig, c.Region))
	}
	ep, err := c.EndpointURL()
	if err != nil {
		errs = append(errs, err)
	}
	switch {
	case !bucketRE.MatchString(c.Bucket) || strings.Contains(c.Bucket, ".."):
		errs = append(errs, fmt.Errorf("%w: BUCKET %q is not a valid bucket name (3-63 lowercase letters, digits, '-')", ErrConfig, c.Bucket))
	case err == nil && isCOSHost(ep) && !cosBucketRE.MatchString(c.Bucket):
		errs = append(errs, fmt.Errorf("%w: BUCKET %q must be <name>-<appid>, for example campaigns-1250000000", ErrConfig, c.Bucket))
	}
	return errors.Join(errs...)
}
