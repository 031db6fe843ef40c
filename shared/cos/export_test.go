package cos

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
)

// FixClock makes c sign at now with invocation id id, so that its requests
// can be compared byte for byte with the SDK's.
func FixClock(c *Client, now time.Time, id string) {
	c.now = func() time.Time { return now }
	c.newID = func() string { return id }
}

// NoBackoff keeps c's retry policy but retries at once, so that fault tests
// do not sleep the standard retryer's seconds.
func NoBackoff(c *Client) {
	max := c.retryer.MaxAttempts()
	c.retryer = retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = max
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// UnquoteETag is unquoteETag, for tests that rebuild Attrs from the SDK.
var UnquoteETag = unquoteETag
