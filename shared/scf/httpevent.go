package scf

import (
	"encoding/json"
	"fmt"
)

// HTTPEvent is what a Function URL or a legacy API Gateway trigger sends to an
// event function. A Function URL sends a subset: httpMethod, path, headers,
// queryString and body, with the client IP in header x-scf-remote-addr.
// API Gateway adds requestContext and the *Parameters maps. Field types are
// lenient because both booleans-as-strings and array/boolean query values
// occur in the wild.
type HTTPEvent struct {
	HTTPMethod string `json:"httpMethod"`
	// Path is the request path as the client sent it. Behind API Gateway it may
	// carry a service or stage prefix; it is kept as given.
	Path string `json:"path"`
	// Headers holds every request header; names arrive in any case.
	Headers MultiValues `json:"headers"`
	// QueryString holds the complete query.
	QueryString MultiValues `json:"queryString"`
	Body        string      `json:"body"`
	// IsBase64Encoded says Body is base64 (API Gateway binary mode).
	IsBase64Encoded LenientBool `json:"isBase64Encoded"`

	// API Gateway only: the parameters declared on the API, a subset of the
	// above, and the gateway's own context.
	HeaderParameters      MultiValues       `json:"headerParameters"`
	QueryStringParameters MultiValues       `json:"queryStringParameters"`
	PathParameters        MultiValues       `json:"pathParameters"`
	StageVariables        MultiValues       `json:"stageVariables"`
	RequestContext        APIGatewayContext `json:"requestContext"`
}

// APIGatewayContext is requestContext of a legacy API Gateway event.
type APIGatewayContext struct {
	ServiceID  string `json:"serviceId"`
	Path       string `json:"path"` // the API's declared path, e.g. /test/{path}
	HTTPMethod string `json:"httpMethod"`
	RequestID  string `json:"requestId"`
	Identity   struct {
		SecretID string `json:"secretId"`
	} `json:"identity"`
	SourceIP string `json:"sourceIp"`
	Stage    string `json:"stage"`
}

// ParseHTTPEvent decodes a Function URL or API Gateway event. It fails with
// ErrMalformed on invalid JSON or unexpected field types and with ErrWrongKind
// when the JSON carries neither a method nor a path (a timer or COS event).
func ParseHTTPEvent(raw []byte) (*HTTPEvent, error) {
	e := new(HTTPEvent)
	if err := parseHTTPEvent(raw, e, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// parseHTTPEvent decodes raw into e. Given st, it may decode for a
// request (see decodeFunctionURL), and then sets st.decoded.
func parseHTTPEvent(raw []byte, e *HTTPEvent, st *requestState) error {
	if decodeFunctionURL(raw, e, st) {
		if st != nil {
			st.decoded = true
		}
	} else {
		*e = HTTPEvent{}
		if st != nil {
			st.info.pairs = nil
		}
		if err := json.Unmarshal(raw, e); err != nil {
			return malformed("HTTP event: %v", err)
		}
	}
	if e.HTTPMethod == "" && e.RequestContext.HTTPMethod == "" && e.Path == "" {
		return fmt.Errorf("%w: HTTP event has neither httpMethod nor path", ErrWrongKind)
	}
	return nil
}
