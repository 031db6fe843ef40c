package sms

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

func TestClassify(t *testing.T) {
	cases := map[string]Class{
		"Ok": OK,
		"OK": OK,

		"LimitExceeded.PhoneNumberThirtySecondLimit":     Final,
		"LimitExceeded.PhoneNumberDailyLimit":            Final,
		"LimitExceeded.PhoneNumberOneHourLimit":          Final,
		"LimitExceeded.PhoneNumberSameContentDailyLimit": Final,
		"FailedOperation.PhoneNumberInBlacklist":         Final,
		"InvalidParameterValue.IncorrectPhoneNumber":     Final,
		"FailedOperation.ContainSensitiveWord":           Final,
		"LimitExceeded.DeliveryFrequencyLimit":           Final,
		"SomethingNew.NobodyKnows":                       Final,

		"InternalError.Timeout":         Transient,
		"InternalError.SendAndRecvFail": Transient,
		"InternalError.OtherError":      Transient,
		"InternalError":                 Transient,
		CodeNotSent:                     Transient,

		"RequestLimitExceeded":                    RateLimited,
		"RequestLimitExceeded.UinLimitExceeded":   RateLimited,
		"RequestLimitExceeded.IPLimitExceeded":    RateLimited,
		"LimitExceeded.GlobalSmsSendingRateLimit": RateLimited,

		"FailedOperation.InsufficientBalanceInSmsPackage":                 Fatal,
		"FailedOperation.TemplateIncorrectOrUnapproved":                   Fatal,
		"FailedOperation.TemplateUnapprovedOrNotExist":                    Fatal,
		"FailedOperation.SignatureIncorrectOrUnapproved":                  Fatal,
		"FailedOperation.TemplateParamSetNotMatchApprovedTemplate":        Fatal,
		"FailedOperation.MarketingSendTimeConstraint":                     Deferred,
		"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":       Fatal,
		"InvalidParameterValue.TemplateParameterLengthLimit":              Fatal,
		"InvalidParameterValue.SdkAppIdNotExist":                          Fatal,
		"InvalidParameterValue.SomethingElse":                             Fatal,
		"UnauthorizedOperation.SmsSdkAppIdVerifyFail":                     Fatal,
		"UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny":  Fatal,
		"UnauthorizedOperation.Whatever":                                  Fatal,
		"AuthFailure.SecretIdNotFound":                                    Fatal,
		"AuthFailure.SignatureFailure":                                    Fatal,
		"AuthFailure.SignatureExpire":                                     Fatal,
		"AuthFailure.TokenFailure":                                        Fatal,
		"LimitExceeded.PhoneNumberCountLimit":                             Fatal,
		"LimitExceeded.AppDailyLimit":                                     Deferred,
		"MissingParameter.EmptyPhoneNumberSet":                            Fatal,
		"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": Fatal,
		"InvalidAction":                      Fatal,
		"NoSuchVersion":                      Fatal,
		"InternalError.RequestTimeException": Fatal,
		CodeInvalidRequest:                   Fatal,
		CodeCredentials:                      Fatal,

		"ClientError.NetworkError":        Unknown,
		"ClientError.HttpStatusCodeError": Unknown,
		"ClientError.ParseJsonError":      Unknown,
		CodeMissingStatus:                 Unknown,
	}
	for code, want := range cases {
		if got := Classify(code); got != want {
			t.Errorf("Classify(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestClassOf(t *testing.T) {
	sdkErr := tcerr.NewTencentCloudSDKError("RequestLimitExceeded", "slow down", "req-1")
	own := &Error{Code: CodeNetwork, Class: Transient}
	cases := []struct {
		name string
		err  error
		want Class
	}{
		{"nil", nil, OK},
		{"*Error", own, Transient},
		{"wrapped *Error", fmt.Errorf("batch 3: %w", own), Transient},
		{"SDK error", sdkErr, RateLimited},
		{"wrapped SDK error", fmt.Errorf("send: %w", sdkErr), RateLimited},
		{"bare SDK network error: cannot tell", tcerr.NewTencentCloudSDKErrorWithCause("ClientError.NetworkError", "x", "", context.DeadlineExceeded), Unknown},
		{"invalid request", fmt.Errorf("x: %w", ErrInvalidRequest), Fatal},
		{"context deadline: cannot tell", context.DeadlineExceeded, Unknown},
		{"anything else", errors.New("boom"), Unknown},
	}
	for _, c := range cases {
		if got := ClassOf(c.err); got != c.want {
			t.Errorf("%s: ClassOf = %v, want %v", c.name, got, c.want)
		}
	}
	if CodeOf(fmt.Errorf("x: %w", sdkErr)) != "RequestLimitExceeded" || CodeOf(own) != CodeNetwork || CodeOf(errors.New("x")) != "" {
		t.Error("CodeOf does not find the code")
	}
}

func TestClassString(t *testing.T) {
	for c, want := range map[Class]string{Unknown: "unknown", OK: "ok", Final: "final", Transient: "transient", RateLimited: "rate_limited", Fatal: "fatal", Deferred: "deferred", Class(42): "class(42)"} {
		if got := c.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(c), got, want)
		}
	}
}

// Every code that stops a job tells the operator what to do.
func TestFatalCodesExplained(t *testing.T) {
	req := Request{SdkAppID: "1400000001", TemplateID: "123", SignName: "腾讯云", Params: []string{"a"}}
	codes := []string{"MissingParameter.EmptyPhoneNumberSet", "UnknownParameter", "InvalidAction", "NoSuchVersion", "UnsupportedOperation.Foo", "InvalidParameter"}
	for code := range codeClasses {
		codes = append(codes, code)
	}
	for _, code := range codes {
		if Classify(code) == Fatal && Explain(code, req) == "" {
			t.Errorf("Explain(%q) is empty", code)
		}
	}
	for code, want := range map[string]string{
		"FailedOperation.TemplateIncorrectOrUnapproved":            "模板 123 未审核通过",
		"FailedOperation.SignatureIncorrectOrUnapproved":           "签名「腾讯云」未审核通过",
		"FailedOperation.TemplateParamSetNotMatchApprovedTemplate": "发送的 1 个不一致",
		"FailedOperation.InsufficientBalanceInSmsPackage":          "套餐包管理",
		"UnauthorizedOperation.SmsSdkAppIdVerifyFail":              "短信应用 1400000001",
		"AuthFailure.SecretIdNotFound":                             "TENCENTCLOUD_SECRETID",
	} {
		if got := Explain(code, req); !strings.Contains(got, want) {
			t.Errorf("Explain(%q) = %q, want it to mention %q", code, got, want)
		}
	}
	if got := Explain("InternalError.Timeout", req); got != "" {
		t.Errorf("a transient code needs no human: %q", got)
	}
}

func TestDeferUntil(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, cst) }
	tests := []struct {
		code string
		now  time.Time
		want time.Time
	}{
		{"FailedOperation.MarketingSendTimeConstraint", at(2, 22, 0), at(3, 8, 0)},
		{"FailedOperation.MarketingSendTimeConstraint", at(3, 0, 30), at(3, 8, 0)},
		{"FailedOperation.MarketingSendTimeConstraint", at(3, 7, 59), at(3, 8, 0)},
		{"LimitExceeded.AppDailyLimit", at(2, 15, 0), at(3, 0, 0)},
		{"LimitExceeded.AppMainlandChinaDailyLimit", at(2, 23, 59), at(3, 0, 0)},
		{"LimitExceeded.AppGlobalDailyLimit", at(2, 0, 0), at(3, 0, 0)},
		{"LimitExceeded.AppCountryOrRegionDailyLimit", at(2, 12, 0).UTC(), at(3, 0, 0)},
		{"LimitExceeded.DailyLimit", at(2, 12, 0), at(3, 0, 0)},
		{"LimitExceeded.PhoneNumberDailyLimit", at(2, 12, 0), time.Time{}},
		{"FailedOperation.InsufficientBalanceInSmsPackage", at(2, 12, 0), time.Time{}},
	}
	for _, tt := range tests {
		if got := DeferUntil(tt.code, tt.now); !got.Equal(tt.want) {
			t.Errorf("DeferUntil(%s, %v) = %v, want %v", tt.code, tt.now, got, tt.want)
		}
	}
}
