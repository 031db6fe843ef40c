package sms

import (
	"fmt"
	"strings"
)

// Explain returns what an operator should do about code, phrased for the
// batch req; "" when the code needs no human (it is OK, transient, or final
// for the number only).
func Explain(code string, req Request) string {
	switch code {
	case "FailedOperation.InsufficientBalanceInSmsPackage":
		return "the SMS package balance is used up: buy a package (https://buy.cloud.tencent.com/sms), then the job resumes"
	case "FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.TemplateUnapprovedOrNotExist":
		return fmt.Sprintf("template %s is not approved: check it in the SMS console (正文模板管理) and SMS_TEMPLATE_ID or the manifest", req.TemplateID)
	case "FailedOperation.SignatureIncorrectOrUnapproved", "FailedOperation.MissingSignature", "FailedOperation.MissingSignatureList":
		return fmt.Sprintf("signature %q is not approved: check it in the SMS console (签名管理) and SMS_SIGN_NAME or the manifest", req.SignName)
	case "FailedOperation.TemplateParamSetNotMatchApprovedTemplate":
		return fmt.Sprintf("template %s was approved with a different number of parameters than the %d sent: fix the manifest's parameter mapping", req.TemplateID, len(req.Params))
	case "FailedOperation.MarketingSendTimeConstraint":
		return "marketing SMS may only be sent 08:00–22:00 Beijing time: the job waits for the window"
	case "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":
		return "a template parameter carries a URL, which Tencent SMS forbids: put the link as a constant into the approved template"
	case "InvalidParameterValue.TemplateParameterLengthLimit":
		return "a template parameter is longer than the account allows (6 characters on new accounts): shorten the parameters or ask Tencent Cloud to raise the limit"
	case "InvalidParameterValue.SdkAppIdNotExist":
		return fmt.Sprintf("SMS application %s does not exist: check SMS_SDK_APP_ID", req.SdkAppID)
	case "UnauthorizedOperation.SmsSdkAppIdVerifyFail":
		return fmt.Sprintf("SMS application %s does not belong to the account of the API key: check SMS_SDK_APP_ID and the function's execution role", req.SdkAppID)
	case "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny":
		return "personal accounts may not send marketing SMS: use a notification template or verify the account as a company"
	case "UnauthorizedOperation.RequestIpNotInWhitelist":
		return "the caller's IP is not in the SMS application's IP allowlist: add the function's egress IP or remove the allowlist"
	case "UnauthorizedOperation.ServiceSuspendDueToArrears":
		return "the Tencent Cloud account is in arrears: top it up"
	case "UnauthorizedOperation.SdkAppIdIsDisabled":
		return fmt.Sprintf("SMS application %s is disabled: contact Tencent Cloud SMS support", req.SdkAppID)
	case "AuthFailure.SignatureExpire", "InternalError.RequestTimeException":
		return "the machine's clock is off by minutes: fix the clock (NTP)"
	case "LimitExceeded.PhoneNumberCountLimit":
		return fmt.Sprintf("more than %d numbers in one call: the batching is broken", MaxPhones)
	case "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber":
		return "a batch mixes mainland and international numbers: send them separately"
	case "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone", "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone":
		return fmt.Sprintf("template %s is for the other market (mainland vs international): use a template approved for these numbers", req.TemplateID)
	case "LimitExceeded.AppDailyLimit", "LimitExceeded.AppMainlandChinaDailyLimit", "LimitExceeded.AppGlobalDailyLimit",
		"LimitExceeded.AppCountryOrRegionDailyLimit", "LimitExceeded.DailyLimit":
		return "the SMS application's daily total is reached: raise it in the SMS console (应用管理 → 基础配置) or resume tomorrow"
	case "FailedOperation.MissingTemplateList":
		return fmt.Sprintf("no approved template found for template %s: check the SMS console (正文模板管理)", req.TemplateID)
	case "UnsupportedRegion", "InvalidRegion":
		return "the region does not serve SMS: set SMS_REGION to ap-guangzhou, ap-beijing or ap-nanjing"
	case CodeCredentials:
		return "no Tencent Cloud credentials: set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY (on SCF, give the function an execution role)"
	case CodeInvalidRequest:
		return "the batch is malformed (the message says how): fix the campaign data or the batching"
	}
	switch {
	case strings.HasPrefix(code, "AuthFailure"):
		return "Tencent Cloud rejected the API key: check TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and TENCENTCLOUD_SESSIONTOKEN (or the function's execution role)"
	case strings.HasPrefix(code, "UnauthorizedOperation"):
		return "the API key may not send SMS: grant the function's execution role sms:SendSms (QcloudSMSFullAccess)"
	case Classify(code) == Fatal:
		// Malformed calls (missing or unknown parameters, wrong action or
		// version, unparsable body): nothing an operator can tune.
		return "the API rejected the call as malformed: check SMS_ENDPOINT points at the SMS API, else it is a client bug to report with the request id"
	}
	return ""
}
