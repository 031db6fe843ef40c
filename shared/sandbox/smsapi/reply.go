package smsapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// apiError is a request-level error, sent in the Response.Error envelope.
type apiError struct {
	Code    string
	Message string
}

func apiErr(code string) *apiError { return &apiError{Code: code, Message: messageFor(code)} }

func errorf(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// sendStatus mirrors SendStatus of sms/v20210111.
type sendStatus struct {
	SerialNo       string
	PhoneNumber    string
	Fee            int
	SessionContext string
	Code           string
	Message        string
	IsoCode        string
}

type sendSmsResponse struct {
	SendStatusSet []sendStatus
	RequestId     string
}

type errorBody struct {
	Error     *apiError
	RequestId string
}

// okReply is a successful action's Response, encoded with its RequestId.
type okReply interface {
	appendJSON(b []byte, requestID string) []byte
}

// writeReply answers like the real API: always HTTP 200, the outcome inside
// {"Response": …}.
func writeReply(w http.ResponseWriter, requestID string, ok okReply, e *apiError) error {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-TC-RequestId", requestID)
	w.WriteHeader(http.StatusOK)
	if e != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct{ Response errorBody }{errorBody{Error: e, RequestId: requestID}})
	}
	_, err := w.Write(ok.appendJSON(nil, requestID))
	return err
}

// appendJSON encodes the success reply by hand: it is the hot path of load
// runs, and reflection-based encoding of 200 statuses cost more than the
// rest of the request together.
func (r *sendSmsResponse) appendJSON(b []byte, requestID string) []byte {
	r.RequestId = requestID
	if b == nil {
		b = make([]byte, 0, 64+len(r.SendStatusSet)*192)
	}
	b = append(b, `{"Response":{"SendStatusSet":[`...)
	for i := range r.SendStatusSet {
		st := &r.SendStatusSet[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"SerialNo":`...)
		b = appendJSONString(b, st.SerialNo)
		b = append(b, `,"PhoneNumber":`...)
		b = appendJSONString(b, st.PhoneNumber)
		b = append(b, `,"Fee":`...)
		b = strconv.AppendInt(b, int64(st.Fee), 10)
		b = append(b, `,"SessionContext":`...)
		b = appendJSONString(b, st.SessionContext)
		b = append(b, `,"Code":`...)
		b = appendJSONString(b, st.Code)
		b = append(b, `,"Message":`...)
		b = appendJSONString(b, st.Message)
		b = append(b, `,"IsoCode":`...)
		b = appendJSONString(b, st.IsoCode)
		b = append(b, '}')
	}
	b = append(b, `],"RequestId":`...)
	b = appendJSONString(b, r.RequestId)
	return append(b, "}}\n"...)
}

// appendJSONString quotes s as a JSON string. Input comes from decoded JSON
// or from the sandbox, so it is valid UTF-8; only quotes, backslashes and
// control characters need escaping.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
