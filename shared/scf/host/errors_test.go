package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&FunctionError{Message: "x"}, true},
		{fmt.Errorf("invoke: %w", &TimeoutError{Timeout: time.Second}), true},
		{&InstanceError{Kind: ErrTransport}, true},
		{&InstanceError{Kind: ErrStart}, true},
		{fmt.Errorf("%w: %w", ErrClosed, &InstanceError{Kind: ErrTransport}), false},
		{fmt.Errorf("invoke: %w", context.Canceled), false},
		{context.DeadlineExceeded, false},
		{ErrPayloadTooLarge, false},
		{errors.New("other"), false},
	}
	for _, tt := range tests {
		if got := retryable(tt.err); got != tt.want {
			t.Errorf("retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	tests := []struct {
		err  error
		want []string
	}{
		{&TimeoutError{Function: "send-sms", RequestID: "r1", Timeout: 900 * time.Second}, []string{"Invoking task timed out after 900 seconds"}},
		{&TimeoutError{Function: "f", Timeout: 1500 * time.Millisecond}, []string{"after 1.5s"}},
		{&FunctionError{Type: "quotaError", Message: "no quota"}, []string{"quotaError: no quota"}},
		{&InstanceError{Kind: ErrStart, Function: "f", Instance: 2, Op: "start", Exit: "exit status 1", Stderr: "missing WECHAT_APPID\n", Err: errors.New("process exited")},
			[]string{"f#2: start: process exited (process exit status 1); stderr tail:\nmissing WECHAT_APPID"}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.err.Error(), w) {
				t.Errorf("%q lacks %q", tt.err.Error(), w)
			}
		}
	}
}
