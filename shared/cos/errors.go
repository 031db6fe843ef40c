package cos

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// Error kinds. Test with errors.Is; the *Error carrying them says more.
var (
	// ErrNotFound: the object does not exist (NoSuchKey, NotFound, 404).
	ErrNotFound = errors.New("cos: object not found")
	// ErrBucketNotFound: the bucket does not exist. Kept apart from
	// ErrNotFound because "no such object" is a normal answer and "no such
	// bucket" is a configuration mistake.
	ErrBucketNotFound = errors.New("cos: bucket not found")
	// ErrExists: a conditional write lost, because the object exists
	// (409 FileAlreadyExists, If-None-Match: *) or changed (412 If-Match).
	ErrExists = errors.New("cos: object exists or changed")
	// ErrAccessDenied: the request was refused (403): permissions, a bad
	// signature, an unknown or expired key.
	ErrAccessDenied = errors.New("cos: access denied")
	// ErrThrottled: slow down and retry later (503 SlowDown, 429). The
	// client has already retried (the SDK's standard retryer) when this is
	// returned.
	ErrThrottled = errors.New("cos: throttled")
	// ErrInvalidRange: a range starts past the end of the object (416).
	ErrInvalidRange = errors.New("cos: invalid range")
)

// Error is a failed COS operation.
type Error struct {
	Op        string // S3 operation, e.g. PutObject
	Bucket    string
	Key       string
	Kind      error  // one of the Err* kinds, or nil when unclassified
	Code      string // service error code, e.g. NoSuchKey
	Message   string // service error message
	Status    int    // HTTP status, 0 when no response came back
	RequestID string // x-cos-request-id (or x-amz-request-id), for support tickets
	Hint      string // what to fix, when known
	Err       error  // the SDK error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cos %s %s: ", e.Op, e.Key)
	if e.Code == "" && e.Status == 0 {
		b.WriteString(e.Err.Error())
		return b.String()
	}
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "cos: "))
		b.WriteString(": ")
	}
	b.WriteString(e.Code)
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	fmt.Fprintf(&b, " (HTTP %d", e.Status)
	if e.RequestID != "" {
		fmt.Fprintf(&b, ", request id %s", e.RequestID)
	}
	b.WriteString(")")
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap exposes both the kind and the SDK error, so errors.Is(err,
// ErrNotFound) and errors.As(err, &smithy.APIError) both work.
func (e *Error) Unwrap() []error {
	if e.Kind == nil {
		return []error{e.Err}
	}
	return []error{e.Kind, e.Err}
}

// MapError turns an SDK error from operation op on key into an *Error with
// a kind. Context cancellation is returned wrapped but unclassified, so
// errors.Is(err, context.Canceled) holds. A nil err stays nil.
func MapError(op, bucket, key string, err error) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op, Bucket: bucket, Key: key, Err: err}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return e
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		e.Status = re.Response.StatusCode
		e.RequestID = re.Response.Header.Get("x-cos-request-id")
		if e.RequestID == "" {
			e.RequestID = re.ServiceRequestID()
		}
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code = ae.ErrorCode()
		e.Message = ae.ErrorMessage()
	}
	if e.Code == "" && e.Status == 0 {
		return e
	}
	e.Kind, e.Hint = classify(e.Code, e.Status, bucket)
	return e
}

// classify maps a service error code and HTTP status to a kind and a hint.
// Codes come first: a HEAD response has no body, so its code is derived from
// the status by the SDK ("NotFound"), while some codes share a status.
func classify(code string, status int, bucket string) (error, string) {
	switch code {
	case "NoSuchKey", "NotFound", "NoSuchUpload":
		return ErrNotFound, ""
	case "NoSuchBucket":
		return ErrBucketNotFound, fmt.Sprintf("check BUCKET (%s) and COS_REGION: the bucket must exist in that region", bucket)
	case "FileAlreadyExists", "PreconditionFailed", "ConditionalRequestConflict", "BucketAlreadyOwnedByYou":
		return ErrExists, ""
	case "SignatureDoesNotMatch":
		return ErrAccessDenied, "check TENCENTCLOUD_SECRETKEY: the signature does not match the key pair"
	case "InvalidAccessKeyId":
		return ErrAccessDenied, "check TENCENTCLOUD_SECRETID: the key is unknown"
	case "ExpiredToken", "InvalidToken", "TokenRefreshRequired":
		return ErrAccessDenied, "check TENCENTCLOUD_SESSIONTOKEN: temporary credentials expired or do not match the key"
	case "AccessDenied":
		return ErrAccessDenied, accessHint(bucket)
	case "Forbidden":
		// The SDK's name for a 403 without a body (HEAD): the cause is unknown.
		return ErrAccessDenied, headForbiddenHint(bucket)
	case "SlowDown", "TooManyRequests", "RequestLimitExceeded":
		return ErrThrottled, ""
	case "InvalidRange":
		return ErrInvalidRange, ""
	}
	switch status {
	case http.StatusNotFound:
		return ErrNotFound, ""
	case http.StatusPreconditionFailed:
		return ErrExists, ""
	case http.StatusForbidden:
		return ErrAccessDenied, headForbiddenHint(bucket)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return ErrThrottled, ""
	case http.StatusRequestedRangeNotSatisfiable:
		return ErrInvalidRange, ""
	}
	return nil, ""
}

func headForbiddenHint(bucket string) string {
	return accessHint(bucket) + ", and that TENCENTCLOUD_SECRETKEY and TENCENTCLOUD_SESSIONTOKEN are current " +
		"(a HEAD answer carries no error code, so a bad signature looks the same)"
}

func accessHint(bucket string) string {
	return fmt.Sprintf("check the function's execution role has COS permissions for bucket %s", bucket)
}
