package sms

import (
	"fmt"
	"strings"
)

// Explain returns, in Chinese for the operator, what to do about code and
// where in the Tencent Cloud console, phrased for the batch req; "" when
// the code needs no human (it is OK, retried, deferred, or final for the
// number only).
func Explain(code string, req Request) string {
	switch code {
	case "FailedOperation.InsufficientBalanceInSmsPackage":
		return "短信套餐包余量不足：在短信控制台 → 套餐包管理 购买套餐包（https://buy.cloud.tencent.com/sms），然后重新上传 CSV"
	case "FailedOperation.TemplateIncorrectOrUnapproved", "FailedOperation.TemplateUnapprovedOrNotExist":
		return fmt.Sprintf("模板 %s 未审核通过或与正文不符：在短信控制台 → 国内短信 → 正文模板管理 核对，并检查 SMS_TEMPLATE_ID 或 manifest 的 template_id/template_text", req.TemplateID)
	case "FailedOperation.SignatureIncorrectOrUnapproved", "FailedOperation.MissingSignature", "FailedOperation.MissingSignatureList":
		return fmt.Sprintf("签名「%s」未审核通过：在短信控制台 → 国内短信 → 签名管理 核对，并检查 SMS_SIGN_NAME 或 manifest 的 sign_name", req.SignName)
	case "FailedOperation.TemplateParamSetNotMatchApprovedTemplate":
		return fmt.Sprintf("模板 %s 审核时的变量个数与发送的 %d 个不一致：在短信控制台 → 正文模板管理 查看模板的变量，改正 manifest 的 params", req.TemplateID, len(req.Params))
	case "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":
		return "模板变量里出现了链接，腾讯云短信禁止这样做：把链接作为常量写进模板正文并重新审核"
	case "InvalidParameterValue.TemplateParameterLengthLimit":
		return "模板变量超过账号允许的长度（新账号单个变量 6 个字）：缩短变量，或在短信控制台 → 国内短信 → 基础配置 申请放宽"
	case "InvalidParameterValue.SdkAppIdNotExist":
		return fmt.Sprintf("短信应用 %s 不存在：在短信控制台 → 应用管理 → 应用列表 核对 SdkAppID，改正 SMS_SDK_APP_ID", req.SdkAppID)
	case "UnauthorizedOperation.SmsSdkAppIdVerifyFail":
		return fmt.Sprintf("短信应用 %s 不属于 API 密钥所在的账号：核对 SMS_SDK_APP_ID，以及函数执行角色（SCF 控制台 → 函数配置 → 执行角色）所属账号", req.SdkAppID)
	case "UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny":
		return "个人认证账号不能发送营销短信：改用通知类模板（sms_type: notification），或在账号中心完成企业认证"
	case "UnauthorizedOperation.RequestIpNotInWhitelist":
		return "调用方 IP 不在短信应用的 IP 白名单：在短信控制台 → 应用管理 → 基础配置 把函数的固定出口 IP 加入白名单，或关闭白名单"
	case "UnauthorizedOperation.RequestPermissionDeny":
		return "该账号没有发送权限：联系腾讯云短信小助手开通"
	case "UnauthorizedOperation.ServiceSuspendDueToArrears":
		return "腾讯云账号欠费，短信服务已暂停：在费用中心充值后重新上传 CSV"
	case "UnauthorizedOperation.SdkAppIdIsDisabled":
		return fmt.Sprintf("短信应用 %s 已被停用：在短信控制台 → 应用管理 查看原因，或联系腾讯云短信小助手", req.SdkAppID)
	case "AuthFailure.SignatureExpire", "InternalError.RequestTimeException":
		return "机器时钟偏差过大（超过 5 分钟）：校准时钟（NTP）"
	case "LimitExceeded.PhoneNumberCountLimit", "MissingParameter.EmptyPhoneNumberSet":
		return fmt.Sprintf("一次请求的号码数不在 1–%d 之间：分批逻辑出错，请带着请求 ID 报告此问题", MaxPhones)
	case "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber":
		return "同一批里混有国内和国际号码：分成两份 CSV 发送"
	case "UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone", "UnsupportedOperation.GlobalTemplateToChineseMainlandPhone":
		return fmt.Sprintf("模板 %s 与号码所属市场不符（国内/国际）：在短信控制台选用对应市场审核通过的模板", req.TemplateID)
	case "FailedOperation.MissingTemplateList":
		return fmt.Sprintf("找不到审核通过的模板 %s：在短信控制台 → 正文模板管理 核对", req.TemplateID)
	case "UnsupportedRegion", "InvalidRegion":
		return "该地域不提供短信服务：把 SMS_REGION 设为 ap-guangzhou、ap-beijing 或 ap-nanjing"
	case CodeCredentials:
		return "没有腾讯云凭据：设置 TENCENTCLOUD_SECRETID 和 TENCENTCLOUD_SECRETKEY（在 SCF 上为函数配置执行角色：SCF 控制台 → 函数配置 → 执行角色）"
	case CodeInvalidRequest:
		return "这一批请求格式有误（见错误信息）：修正活动数据或分批逻辑"
	}
	switch {
	case strings.HasPrefix(code, "AuthFailure"):
		return "腾讯云拒绝了 API 密钥：检查 TENCENTCLOUD_SECRETID、TENCENTCLOUD_SECRETKEY、TENCENTCLOUD_SESSIONTOKEN，或函数的执行角色（SCF 控制台 → 函数配置 → 执行角色）"
	case strings.HasPrefix(code, "UnauthorizedOperation"):
		return "API 密钥无权发送短信：在访问管理（CAM）→ 角色 给函数执行角色授予 sms:SendSms（QcloudSMSFullAccess）"
	case Classify(code) == Fatal:
		// Malformed calls (missing or unknown parameters, wrong action or
		// version, unparsable body): nothing an operator can tune.
		return "接口认为请求格式错误：检查 SMS_ENDPOINT 是否指向短信接口，否则是程序问题，请带着请求 ID 报告"
	}
	return ""
}
