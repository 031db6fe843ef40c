package sms

import (
	"errors"
	"strings"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

// Error is a failure of a whole Send call.
type Error struct {
	// Code is the API's error code, or one of this package's ClientError
	// codes for failures before or around the call.
	Code string
	// Message is the API's (or SDK's) text.
	Message   string
	RequestID string
	Class     Class
	// Hint names the fix for codes that need a human, else empty.
	Hint string
	// Err is the cause (a network error, ErrInvalidRequest…), if any.
	Err error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sms: ")
	b.WriteString(e.Code)
	b.WriteString(" (")
	b.WriteString(e.Class.String())
	b.WriteString(")")
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" [request ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	if e.Err != nil && !errors.Is(e.Err, ErrInvalidRequest) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ClassOf says what err, returned by a Sender, means for the job. nil is OK.
// An error that is neither an *Error nor an SDK error is Unknown: nothing
// proves the request was not delivered.
func ClassOf(err error) Class {
	if err == nil {
		return OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	var sdk *tcerr.TencentCloudSDKError
	if errors.As(err, &sdk) {
		return Classify(sdk.Code)
	}
	if errors.Is(err, ErrInvalidRequest) {
		return Fatal
	}
	return Unknown
}

// CodeOf returns the API or client code carried by err, or "".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var sdk *tcerr.TencentCloudSDKError
	if errors.As(err, &sdk) {
		return sdk.Code
	}
	return ""
}
