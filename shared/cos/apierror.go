package cos

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// errorBody is S3's error document.
type errorBody struct {
	Code      string
	Message   string
	RequestID string `xml:"RequestId"`
}

// responseError turns a failed answer into the SDK's error shape. body is
// the already-read body, or nil to read it from resp. Like the SDK, an
// answer without a code (HEAD has no body) gets its status text as code:
// 404 → NotFound, 403 → Forbidden.
func responseError(resp *http.Response, body []byte) error {
	if body == nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	}
	_ = resp.Body.Close()
	var eb errorBody
	_ = xml.Unmarshal(body, &eb)
	if eb.Code == "" && eb.Message == "" {
		text := http.StatusText(resp.StatusCode)
		eb.Code, eb.Message = strings.ReplaceAll(text, " ", ""), text
	}
	if eb.Code == "" {
		eb.Code = "UnknownError"
	}
	if eb.Message == "" {
		eb.Message = eb.Code
	}
	reqID := resp.Header.Get("X-Amz-Request-Id")
	if reqID == "" {
		reqID = eb.RequestID
	}
	return &awshttp.ResponseError{
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: resp},
			Err:      &smithy.GenericAPIError{Code: eb.Code, Message: eb.Message},
		},
		RequestID: reqID,
	}
}

// rootIsError reports whether an XML document's root element is <Error>.
func rootIsError(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == "Error"
		}
	}
}

// decodeError is an answer that could not be decoded, as the SDK wrapped it.
func decodeError(op string, err error) error {
	return &smithy.OperationError{ServiceID: "S3", OperationName: op,
		Err: &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", err)}}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
