package cos

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/encoding/httpbinding"
	smithyrand "github.com/aws/smithy-go/rand"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// call is one S3 operation as it goes on the wire.
type call struct {
	op     string // S3 operation name, for errors
	method string
	key    string      // object key; empty for a bucket request
	query  [][2]string // sorted by name, as the SDK sends them
	header http.Header // operation headers, covered by the signature
	body   []byte
	// unsignedOverTLS: the SDK sent PutObject and UploadPart bodies over
	// HTTPS as UNSIGNED-PAYLOAD (TLS protects them) and hashed every other
	// body, and every body over plain HTTP.
	unsignedOverTLS bool
	// conditional: a write whose repetition is not harmless (create-if-absent,
	// If-Match). It is retried only when the failed attempt certainly did
	// nothing (see retryable).
	conditional bool
	// readBody reads a small XML answer inside the retry loop, as the SDK's
	// deserializers did, so a connection lost mid-answer is retried too.
	readBody bool
	// errorIn200: S3 may answer 200 with an <Error> body (Complete); the SDK
	// treated that as a 500. Implies readBody.
	errorIn200 bool
}

// unsignedPayload stands for the payload hash of a body that is not signed.
const unsignedPayload = "UNSIGNED-PAYLOAD"

// emptySHA256 is the payload hash of a request without a body.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// expectContinueBytes is service/s3's threshold for Expect: 100-continue on
// PUT: a refused upload then costs one round trip instead of the body.
const expectContinueBytes = 2 << 20

// maxErrorBody bounds what is read of an error answer, maxXMLBody of an
// XML answer (a listing of 1,000 long keys is well under it).
const (
	maxErrorBody = 64 << 10
	maxXMLBody   = 16 << 20
)

// do sends c with the SDK's retry loop and returns the 2xx response; its
// body is the caller's to close. Errors have the shapes the SDK gave them
// (smithy.OperationError → awshttp.ResponseError → smithy.APIError), so
// MapError and errors.As keep working.
func (c *Client) do(ctx context.Context, cl *call) (*http.Response, error) {
	resp, err := c.retry(ctx, cl)
	if err != nil {
		return nil, &smithy.OperationError{ServiceID: "S3", OperationName: cl.op, Err: err}
	}
	return resp, nil
}

func (c *Client) retry(ctx context.Context, cl *call) (*http.Response, error) {
	id := c.newID()
	hash := c.payloadHash(cl)
	max := c.retryer.MaxAttempts()
	releaseRetry := func(error) error { return nil }
	attemptSkew := time.Duration(c.skew.Load())
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, &smithy.CanceledError{Err: err}
		}
		releaseAttempt := c.retryer.GetInitialToken()
		r := c.once(ctx, cl, id, hash, attempt, max, attemptSkew)
		_ = releaseRetry(r.err)
		_ = releaseAttempt(r.err)
		if r.hasSkew {
			// What the SDK keeps for the client's next operations: the
			// skew seen by the last attempt.
			c.skew.Store(int64(r.skew))
		}
		if r.err == nil {
			return r.resp, nil
		}
		err := r.err
		if r.hasSkew && isClockSkewCode(err) && (attemptSkew-r.skew).Abs() > skewThreshold {
			err = &clockSkewError{Err: err}
		}
		attemptSkew = r.skew // zero when the answer had no usable Date, as in the SDK
		if !c.retryable(cl, err, r.written) {
			return nil, err
		}
		if attempt >= max {
			return nil, &retry.MaxAttemptsError{Attempt: attempt, Err: err}
		}
		var tokenErr error
		if releaseRetry, tokenErr = c.retryer.GetRetryToken(ctx, err); tokenErr != nil {
			return nil, errors.Join(err, tokenErr)
		}
		delay, err2 := c.retryer.RetryDelay(attempt, err)
		if err2 != nil {
			return nil, err2
		}
		if err := sleep(ctx, delay); err != nil {
			return nil, &aws.RequestCanceledError{Err: err}
		}
	}
}

// retryable is the standard retryer's verdict, except for a conditional
// write whose attempt may have taken effect: its repetition would answer
// "exists" or "changed" about our own write, which the store would read as
// losing to another writer. Like the Redis store's SET NX, such a write is
// retried only when it certainly did nothing: the request never left whole
// (a dial error, a reset while sending), or the server refused it before
// acting (a 4xx answer such as a skewed clock, or a throttling code). A 5xx
// or a connection lost after sending is left to the caller.
func (c *Client) retryable(cl *call, err error, written bool) bool {
	if !c.retryer.IsErrorRetryable(err) {
		return false
	}
	if !cl.conditional || !written {
		return true
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		if _, throttled := retry.DefaultThrottleErrorCodes[ae.ErrorCode()]; throttled {
			return true
		}
	}
	var status interface{ HTTPStatusCode() int }
	return errors.As(err, &status) && status.HTTPStatusCode() < 500
}

func (c *Client) payloadHash(cl *call) string {
	switch {
	case cl.unsignedOverTLS && c.scheme == "https":
		return unsignedPayload
	case len(cl.body) == 0:
		return emptySHA256
	}
	sum := sha256.Sum256(cl.body)
	return hex.EncodeToString(sum[:])
}

// attemptResult is one attempt's outcome.
type attemptResult struct {
	resp *http.Response
	err  error
	// written: the whole request went out, so the server may have acted.
	written bool
	// skew is the server's clock minus ours, from the answer's Date.
	skew    time.Duration
	hasSkew bool
}

// once sends one attempt, signed at our clock plus skew.
func (c *Client) once(ctx context.Context, cl *call, id, hash string, attempt, max int, skew time.Duration) (r attemptResult) {
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { written.Store(true) },
	})
	req, err := c.newRequest(ctx, cl, id, hash, attempt, max, skew)
	if err != nil {
		r.err = err
		return r
	}
	requestAt := c.now()
	resp, err := c.http.Do(req)
	r.written = written.Load()
	if err != nil {
		if ctx.Err() != nil {
			r.err = &smithy.CanceledError{Err: ctx.Err()}
		} else {
			r.err = &smithyhttp.RequestSendError{Err: err}
		}
		return r
	}
	r.written = true
	r.skew, r.hasSkew = clockSkew(resp, requestAt, c.now())
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		r.err = responseError(resp, nil)
		return r
	}
	if cl.readBody || cl.errorIn200 {
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxXMLBody))
		_ = resp.Body.Close()
		if err != nil {
			r.err = &smithy.DeserializationError{Err: fmt.Errorf("failed to read response body, %w", err)}
			return r
		}
		if cl.errorIn200 && rootIsError(b) {
			resp.StatusCode = http.StatusInternalServerError
			r.err = responseError(resp, b)
			return r
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.resp = resp
	return r
}

func (c *Client) newRequest(ctx context.Context, cl *call, id, hash string, attempt, max int, skew time.Duration) (*http.Request, error) {
	u := c.scheme + "://"
	path := c.basePath
	if c.virtualHost {
		u += c.bucket + "." + c.host
	} else {
		u += c.host
		path += "/" + httpbinding.EscapePath(c.bucket, false)
	}
	if cl.key != "" || c.virtualHost {
		path += "/" + httpbinding.EscapePath(cl.key, false)
	}
	u += path
	if len(cl.query) > 0 {
		var q strings.Builder
		for i, kv := range cl.query {
			if i > 0 {
				q.WriteByte('&')
			}
			q.WriteString(httpbinding.EscapePath(kv[0], true))
			q.WriteByte('=')
			q.WriteString(httpbinding.EscapePath(kv[1], true))
		}
		u += "?" + q.String()
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u, body)
	if err != nil {
		return nil, err
	}
	for k, v := range cl.header {
		req.Header[k] = v
	}
	h := req.Header
	// Go would otherwise ask for gzip and unpack it, hiding the object's
	// real length; the SDK asked for identity too.
	h.Set("Accept-Encoding", "identity")
	h.Set("Amz-Sdk-Invocation-Id", id)
	metrics := "attempt=" + strconv.Itoa(attempt) + "; max=" + strconv.Itoa(max)
	if deadline, ok := ctx.Deadline(); ok && skew > 0 {
		// The SDK tells the server when the caller gives up, on its clock.
		metrics += "; ttl=" + deadline.Add(skew).Format("20060102T150405Z")
	}
	h.Set("Amz-Sdk-Request", metrics)
	h.Set("User-Agent", "smsjump-cos")
	h.Set("X-Amz-Content-Sha256", hash)
	if cl.method == http.MethodPut && req.ContentLength >= expectContinueBytes {
		h.Set("Expect", "100-continue")
	}
	creds, err := c.creds.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	err = c.signer.SignHTTP(ctx, creds, req, hash, "s3", c.region, c.now().Add(skew).UTC(), func(o *v4.SignerOptions) {
		// S3 signs the path as sent, not escaped a second time.
		o.DisableURIPathEscaping = true
	})
	return req, err
}

// newInvocationID is the SDK's amz-sdk-invocation-id: a random UUID per
// operation, the same on every attempt.
func newInvocationID() string {
	id, err := smithyrand.NewUUID(rand.Reader).GetUUID()
	if err != nil {
		return ""
	}
	return id
}
