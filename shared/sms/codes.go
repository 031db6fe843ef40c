package sms

// codeClasses is the decision for every code SendSms (API 2021-01-11) can
// answer, request-level or per number, and for this package's own client
// codes: per-number final, retry (Transient, RateLimited), defer (a limit
// that lifts by itself), or fatal for the job (an operator must act; see
// Explain for the console fix). Sources: the SendSms error list of
// sms/v20210111 (every code of its client.go is here, checked by
// TestEverySendSmsCodeIsDecided) and the API 3.0 common error codes.
// Codes not listed fall back on their namespace in Classify.
var codeClasses = map[string]Class{
	// Per number, final for this run: the other numbers go on.
	"FailedOperation.PhoneNumberInBlacklist":             Final,
	"FailedOperation.PhoneNumberParseFail":               Final,
	"InvalidParameterValue.IncorrectPhoneNumber":         Final,
	"LimitExceeded.DeliveryFrequencyLimit":               Final,
	"LimitExceeded.PhoneNumberDailyLimit":                Final,
	"LimitExceeded.PhoneNumberOneHourLimit":              Final,
	"LimitExceeded.PhoneNumberSameContentDailyLimit":     Final,
	"LimitExceeded.PhoneNumberThirtySecondLimit":         Final,
	"LimitExceeded.AppCountryOrRegionInBlacklist":        Final,
	"UnsupportedOperation.UnsupportedRegion":             Final,
	"FailedOperation.ContainSensitiveWord":               Final, // the parameters of these recipients
	"InvalidParameter.DirtyWordFound":                    Final,
	"InvalidParameterValue.ContentLengthLimit":           Final, // long parameters of these recipients
	"InvalidParameterValue.TemplateParameterFormatError": Final,
	"FailedOperation.OtherError":                         Final,
	"FailedOperation.ParametersOtherError":               Final,

	// Retry after a backoff.
	"LimitExceeded.GlobalSmsSendingRateLimit": RateLimited,
	"RequestLimitExceeded":                    RateLimited,
	"InternalError.Timeout":                   Transient,
	"InternalError.SendAndRecvFail":           Transient,
	"InternalError.UnknownError":              Transient,
	"InternalError.OtherError":                Transient, // retried a few times, then failed with the code
	CodeNotSent:                               Transient,

	// Defer: limits that lift by themselves (DeferUntil says when).
	"FailedOperation.MarketingSendTimeConstraint": Deferred,
	"LimitExceeded.AppDailyLimit":                 Deferred,
	"LimitExceeded.AppMainlandChinaDailyLimit":    Deferred,
	"LimitExceeded.AppGlobalDailyLimit":           Deferred,
	"LimitExceeded.AppCountryOrRegionDailyLimit":  Deferred,
	"LimitExceeded.DailyLimit":                    Deferred,

	// Fatal for the job: configuration, account or a client bug.
	"LimitExceeded.PhoneNumberCountLimit":                             Fatal, // > 200 numbers: a caller bug
	"MissingParameter.EmptyPhoneNumberSet":                            Fatal, // a caller bug
	"FailedOperation.InsufficientBalanceInSmsPackage":                 Fatal,
	"FailedOperation.TemplateIncorrectOrUnapproved":                   Fatal,
	"FailedOperation.TemplateUnapprovedOrNotExist":                    Fatal,
	"FailedOperation.SignatureIncorrectOrUnapproved":                  Fatal,
	"FailedOperation.TemplateParamSetNotMatchApprovedTemplate":        Fatal,
	"FailedOperation.FailResolvePacket":                               Fatal,
	"FailedOperation.JsonParseFail":                                   Fatal,
	"FailedOperation.MissingSignature":                                Fatal,
	"FailedOperation.MissingSignatureList":                            Fatal,
	"FailedOperation.MissingTemplateList":                             Fatal,
	"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":       Fatal,
	"InvalidParameterValue.TemplateParameterLengthLimit":              Fatal,
	"InvalidParameterValue.SdkAppIdNotExist":                          Fatal,
	"InternalError.RequestTimeException":                              Fatal, // clock skew: retrying cannot help
	"InternalError.RestApiInterfaceNotExist":                          Fatal,
	"InternalError.SigFieldMissing":                                   Fatal,
	"InternalError.SigVerificationFail":                               Fatal,
	"UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny":  Fatal,
	"UnauthorizedOperation.RequestIpNotInWhitelist":                   Fatal,
	"UnauthorizedOperation.RequestPermissionDeny":                     Fatal,
	"UnauthorizedOperation.SdkAppIdIsDisabled":                        Fatal,
	"UnauthorizedOperation.ServiceSuspendDueToArrears":                Fatal,
	"UnauthorizedOperation.SmsSdkAppIdVerifyFail":                     Fatal,
	"UnsupportedOperation":                                            Fatal,
	"UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone":       Fatal,
	"UnsupportedOperation.GlobalTemplateToChineseMainlandPhone":       Fatal,
	"UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": Fatal,
	"ClientError.BuildRequestError":                                   Fatal,
	CodeCredentials:                                                   Fatal,
	CodeInvalidRequest:                                                Fatal,
}
