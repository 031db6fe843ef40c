package cos

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
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

// responseError turns a failed answer into the SDK's error shape, code and
// message as service/s3 gave them (TestErrorsMatchSDK). body is the
// already-read body, or nil to read it from resp. An answer without code
// and message (HEAD has no body) gets its status text as both: 404 →
// NotFound, 403 → Forbidden; a missing one alone is "UnknownError".
func responseError(resp *http.Response, body []byte) error {
	if body == nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	}
	_ = resp.Body.Close()
	var eb errorBody
	if err := xml.NewDecoder(bytes.NewReader(body)).Decode(&eb); err != nil && !errors.Is(err, io.EOF) {
		// A body that is not XML (a proxy's page cut short): like the SDK,
		// the status alone, no code.
		return &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{
				Response: &smithyhttp.Response{Response: resp},
				Err:      fmt.Errorf("error while deserializing xml error response : %w", err),
			},
			RequestID: resp.Header.Get("X-Amz-Request-Id"),
		}
	}
	if eb.Code == "" && eb.Message == "" {
		text := http.StatusText(resp.StatusCode)
		eb.Code, eb.Message = strings.ReplaceAll(text, " ", ""), text
	}
	if eb.Code == "" {
		eb.Code = "UnknownError"
	}
	switch {
	case resp.Request != nil && resp.Request.Method == http.MethodHead && eb.Code == "NotFound":
		// The SDK's HeadObject answers 404 with its NotFound type, which
		// carries no message.
		eb.Message = ""
	case eb.Message == "":
		eb.Message = "UnknownError"
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
