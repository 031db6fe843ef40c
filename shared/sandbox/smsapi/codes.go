package smsapi

// Error codes the sandbox replies with. Names and meanings follow the
// TencentCloud API 3.0 common error codes and the SendSms error list of
// sms/v20210111 (see the SDK's errors.go).
const (
	CodeOK = "Ok"

	// Common errors.
	CodeInvalidAuthorization = "AuthFailure.InvalidAuthorization"
	CodeSecretIDNotFound     = "AuthFailure.SecretIdNotFound"
	CodeSignatureExpire      = "AuthFailure.SignatureExpire"
	CodeSignatureFailure     = "AuthFailure.SignatureFailure"
	CodeTokenFailure         = "AuthFailure.TokenFailure"
	CodeInvalidAction        = "InvalidAction"
	CodeNoSuchVersion        = "NoSuchVersion"
	CodeUnsupportedRegion    = "UnsupportedRegion"
	CodeUnsupportedProtocol  = "UnsupportedProtocol"
	CodeUnsupportedOperation = "UnsupportedOperation"
	CodeMissingParameter     = "MissingParameter"
	CodeUnknownParameter     = "UnknownParameter"
	CodeInvalidParameter     = "InvalidParameter"
	CodeRequestSizeLimit     = "RequestSizeLimitExceeded"
	CodeRequestLimitExceeded = "RequestLimitExceeded"
	CodeInternalError        = "InternalError"

	// SendSms errors.
	CodeJSONParseFail              = "FailedOperation.JsonParseFail"
	CodeEmptyPhoneNumberSet        = "MissingParameter.EmptyPhoneNumberSet"
	CodePhoneNumberCountLimit      = "LimitExceeded.PhoneNumberCountLimit"
	CodeSdkAppIDNotExist           = "InvalidParameterValue.SdkAppIdNotExist"
	CodeTemplateUnapproved         = "FailedOperation.TemplateIncorrectOrUnapproved"
	CodeSignatureUnapproved        = "FailedOperation.SignatureIncorrectOrUnapproved"
	CodeParamSetNotMatch           = "FailedOperation.TemplateParamSetNotMatchApprovedTemplate"
	CodeMixedPhoneNumbers          = "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"
	CodeMainlandTemplateToGlobal   = "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone"
	CodeGlobalTemplateToMainland   = "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone"
	CodeURLInTemplateParameter     = "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter"
	CodeTemplateParameterLength    = "InvalidParameterValue.TemplateParameterLengthLimit"
	CodeContentLengthLimit         = "InvalidParameterValue.ContentLengthLimit"
	CodeInvalidParameterValue      = "InvalidParameterValue"
	CodeMarketingSendTime          = "FailedOperation.MarketingSendTimeConstraint"
	CodeIncorrectPhoneNumber       = "InvalidParameterValue.IncorrectPhoneNumber"
	CodeThirtySecondLimit          = "LimitExceeded.PhoneNumberThirtySecondLimit"
	CodeDailyLimit                 = "LimitExceeded.PhoneNumberDailyLimit"
	CodeInsufficientBalance        = "FailedOperation.InsufficientBalanceInSmsPackage"
	CodeInternalTimeout            = "InternalError.Timeout"
	CodeInternalSendAndRecvFail    = "InternalError.SendAndRecvFail"
	CodePhoneNumberInBlacklist     = "FailedOperation.PhoneNumberInBlacklist"
	CodeDeliveryFrequencyLimit     = "LimitExceeded.DeliveryFrequencyLimit"
	CodeSmsSdkAppIDVerifyFail      = "UnauthorizedOperation.SmsSdkAppIdVerifyFail"
	CodeServiceSuspendDueToArrears = "UnauthorizedOperation.ServiceSuspendDueToArrears"
)

// messages holds the human text sent with each code. The real API answers
// in the language of X-TC-Language; the sandbox always answers in English.
var messages = map[string]string{
	CodeOK:                       "send success",
	CodeInvalidAuthorization:     "Authorization in the request header is invalid.",
	CodeSecretIDNotFound:         "The SecretId is not found, please ensure that your SecretId is correct.",
	CodeSignatureExpire:          "Signature expired. Timestamp and server time cannot differ by more than five minutes.",
	CodeSignatureFailure:         "The provided credentials could not be validated. Please check your signature is correct.",
	CodeTokenFailure:             "The provided token is invalid.",
	CodeInvalidAction:            "The requested action does not exist.",
	CodeNoSuchVersion:            "The requested version does not exist or is not supported (the sandbox serves 2021-01-11).",
	CodeUnsupportedRegion:        "The requested region is not supported.",
	CodeUnsupportedProtocol:      "The sandbox accepts only POST requests with a JSON body.",
	CodeRequestLimitExceeded:     "Your current request times exceeds the frequency limit.",
	CodeRequestSizeLimit:         "The request body is too large.",
	CodeJSONParseFail:            "Failed to parse the request body.",
	CodeEmptyPhoneNumberSet:      "PhoneNumberSet is empty.",
	CodePhoneNumberCountLimit:    "More than 200 phone numbers in one request.",
	CodeSdkAppIDNotExist:         "SmsSdkAppId does not exist.",
	CodeTemplateUnapproved:       "The template is unapproved or does not exist.",
	CodeSignatureUnapproved:      "The signature is unapproved or incorrect.",
	CodeParamSetNotMatch:         "TemplateParamSet does not match the approved template.",
	CodeMixedPhoneNumbers:        "The request contains both Chinese mainland and global phone numbers.",
	CodeMainlandTemplateToGlobal: "A Chinese mainland template cannot be sent to global phone numbers.",
	CodeGlobalTemplateToMainland: "A global template cannot be sent to Chinese mainland phone numbers.",
	CodeURLInTemplateParameter:   "A template parameter may not contain a URL.",
	CodeTemplateParameterLength:  "A template parameter exceeds the length limit.",
	CodeContentLengthLimit:       "The message content is too long.",
	CodeMarketingSendTime:        "Marketing SMS may only be sent between 8:00 and 22:00 Beijing time.",
	CodeIncorrectPhoneNumber:     "incorrect phone number",
	CodeThirtySecondLimit:        "the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit",
	CodeDailyLimit:               "the number of sms messages sent from a single mobile number every day exceeds the upper limit",
	CodeInsufficientBalance:      "insufficient balance in SMS package",
	CodeInternalTimeout:          "timeout when sending the message",
	CodeInternalSendAndRecvFail:  "send and recv fail",
	CodePhoneNumberInBlacklist:   "the phone number is in the blacklist",
	CodeDeliveryFrequencyLimit:   "delivery frequency limit",
}

// messageFor returns the text for code, or the code itself when none is known
// (injected faults may use any code).
func messageFor(code string) string {
	if m, ok := messages[code]; ok {
		return m
	}
	return code
}
