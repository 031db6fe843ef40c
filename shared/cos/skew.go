package cos

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// The SDK's clock skew correction (aws/retry, aws/middleware), kept so that
// an instance whose clock is off signs at the server's time.
const (
	// skewThreshold: a signature refused while our skew estimate moved by
	// more than this is retried at the corrected time.
	skewThreshold = 4 * time.Minute
	// maxTrustedRequest: a slower round trip says nothing reliable about
	// the clocks.
	maxTrustedRequest = 15 * time.Minute
)

// clockSkewCodes are the answers a wrong clock produces.
var clockSkewCodes = map[string]bool{
	"InvalidSignatureException": true,
	"SignatureDoesNotMatch":     true,
	"AuthFailure":               true,
	"RequestTimeTooSkewed":      true,
	"AccessDeniedException":     true,
}

// clockSkew estimates the server's clock minus ours from an answer's Date,
// unless it came from a cache (Age) or took too long.
func clockSkew(resp *http.Response, requestAt, responseAt time.Time) (time.Duration, bool) {
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil || resp.Header.Get("Age") != "" || responseAt.Sub(requestAt) > maxTrustedRequest {
		return 0, false
	}
	return date.Sub(responseAt), true
}

func isClockSkewCode(err error) bool {
	var v interface{ ErrorCode() string }
	return errors.As(err, &v) && clockSkewCodes[v.ErrorCode()]
}

// clockSkewError marks a signature failure worth retrying at the corrected
// time; the standard retryer honours RetryableError.
type clockSkewError struct{ Err error }

func (e *clockSkewError) Error() string        { return fmt.Sprintf("Probable clock skew error: %v", e.Err) }
func (e *clockSkewError) Unwrap() error        { return e.Err }
func (e *clockSkewError) RetryableError() bool { return true }
