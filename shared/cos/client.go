package cos

import (
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/smsjump/smsjump/shared/tccred"
)

// Client speaks the S3 API of one bucket over net/http, signing with the
// AWS SDK's SigV4 signer. It sends what aws-sdk-go-v2's service/s3 client
// configured for COS sent (TestRequestsMatchSDK holds it to that), without
// linking that client, which is about 2 MB of every function binary. Its
// methods map errors to this package's kinds.
type Client struct {
	http    HTTPDoer
	signer  *v4.Signer
	creds   aws.CredentialsProvider
	retryer *retry.Standard

	scheme, host, basePath string
	virtualHost            bool // bucket in the host name rather than the path
	bucket, region         string

	// skew is the server's clock minus ours in ns, from the last answer's
	// Date: requests are signed at our clock plus skew, as the SDK's clock
	// skew correction does, so a function whose clock drifted still signs
	// within S3's 15-minute window.
	skew atomic.Int64

	// now and newID are the signing clock and the invocation id; tests fix
	// them to compare requests with the SDK's.
	now   func() time.Time
	newID func() string
}

// NewClient validates cfg and builds the client. No request is sent.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ep, err := cfg.EndpointURL()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(ep)
	if err != nil {
		return nil, err
	}
	creds := cfg.Credentials
	if creds == nil {
		creds = tccred.AWSProvider()
	}
	var doer HTTPDoer = awshttp.NewBuildableClient() // the SDK's default transport settings
	if cfg.HTTPClient != nil {
		doer = cfg.HTTPClient
	}
	c := &Client{
		http:   doer,
		signer: v4.NewSigner(),
		creds:  creds,
		// The standard retryer is what service/s3 used: 3 attempts unless
		// RetryMaxAttempts says otherwise, exponential backoff with jitter,
		// 5xx, throttling codes and connection errors, and a retry quota.
		retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			if cfg.RetryMaxAttempts > 0 {
				o.MaxAttempts = cfg.RetryMaxAttempts
			}
		}),
		scheme:   u.Scheme,
		host:     u.Host,
		basePath: strings.TrimSuffix(u.EscapedPath(), "/"),
		bucket:   cfg.Bucket,
		region:   cfg.Region,
		now:      time.Now,
		newID:    newInvocationID,
	}
	c.virtualHost = !cfg.PathStyle && virtualHostable(cfg.Bucket, u)
	return c, nil
}

// virtualHostable follows the SDK's endpoint rules: the bucket goes into the
// host name unless the host is an IP address, or the bucket name has a dot
// and the connection is TLS (the wildcard certificate would not match).
func virtualHostable(bucket string, u *url.URL) bool {
	if net.ParseIP(strings.Trim(u.Hostname(), "[]")) != nil {
		return false
	}
	return !strings.Contains(bucket, ".") || u.Scheme == "http"
}

// Bucket returns the bucket name.
func (c *Client) Bucket() string { return c.bucket }

// Region returns the bucket's region.
func (c *Client) Region() string { return c.region }
