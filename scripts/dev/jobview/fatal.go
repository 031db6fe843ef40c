package jobview

import (
	"strings"

	"github.com/smsjump/smsjump/shared/send"
)

// codeFix is what the operator does about each SMS API code that stops a
// job, in Tencent-console terms.
var codeFix = map[string]string{
	"FailedOperation.InsufficientBalanceInSmsPackage":                "短信套餐包余量不足：在短信控制台（套餐包管理）购买套餐包，再把报告 result.csv 中未发送的行另存为新 CSV 上传",
	"FailedOperation.TemplateIncorrectOrUnapproved":                  "模板未审核通过或不存在：在短信控制台（国内短信 → 正文模板管理）核对模板 ID 和状态，改正清单的 template_id 或 SMS_TEMPLATE_ID",
	"FailedOperation.TemplateUnapprovedOrNotExist":                   "模板未审核通过或不存在：在短信控制台（国内短信 → 正文模板管理）核对模板 ID 和状态，改正清单的 template_id 或 SMS_TEMPLATE_ID",
	"FailedOperation.SignatureIncorrectOrUnapproved":                 "签名未审核通过：在短信控制台（国内短信 → 签名管理）核对签名，改正清单的 sign_name 或 SMS_SIGN_NAME",
	"FailedOperation.TemplateParamSetNotMatchApprovedTemplate":       "模板变量个数与审核通过的模板不一致：对照短信控制台中的模板正文改正清单的 template_text 和 params",
	"InvalidParameterValue.ProhibitedUseUrlInTemplateParameter":      "模板变量里不能放网址：把链接写进模板正文，重新审核后再发送",
	"InvalidParameterValue.TemplateParameterLengthLimit":             "模板变量超过账号允许的长度（新账号常为 6 个字）：缩短 CSV 中的内容，或在清单中调小 param_max_len 让 check 提前发现",
	"UnauthorizedOperation.SmsSdkAppIdVerifyFail":                    "短信应用与 API 密钥不属于同一账号：核对 SMS_SDK_APP_ID（短信控制台 → 应用管理）和函数的执行角色",
	"UnauthorizedOperation.RequestIpNotInWhitelist":                  "调用 IP 不在短信应用的 IP 白名单中：在短信控制台（应用管理 → 基础配置）加入函数的固定出口 IP，或关闭白名单",
	"UnauthorizedOperation.ServiceSuspendDueToArrears":               "腾讯云账号欠费：在费用中心充值后重新上传",
	"UnauthorizedOperation.IndividualUserMarketingSmsPermissionDeny": "个人认证账号不能发营销短信：改用通知类模板，或完成企业认证",
}

// FatalText explains why a job stopped for good and how to fix it.
func FatalText(f *send.Fatal) (why, fix string) {
	if f == nil {
		return "", ""
	}
	why = f.Reason
	if f.Code != "" {
		why += " " + f.Code
	}
	if f.Detail != "" {
		why += "：" + f.Detail
	}
	if fx, ok := codeFix[f.Code]; ok {
		return why, fx
	}
	switch {
	case f.Reason == send.ReasonInvalidManifest:
		return why, "清单（uploads/<名称>.json）有误：按上面的提示改正并上传清单，再重新上传同一个 CSV 即开始新任务（已发过的号码不会重发）；可先用 go run ./scripts/dev check 检查"
	case f.Reason == "invalid_csv":
		return why, "CSV 无法读取：确认第一行是表头且含手机号列（phone、手机号、号码等），另存为 CSV UTF-8 后重新上传"
	case strings.HasPrefix(f.Code, "AuthFailure"):
		return why, "腾讯云拒绝了 API 密钥：检查函数的执行角色（或 TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY）"
	case strings.HasPrefix(f.Code, "UnauthorizedOperation"):
		return why, "API 密钥没有发短信的权限：给函数的执行角色授予 QcloudSMSFullAccess"
	}
	return why, "按上面的错误处理后，把报告 result.csv 中未发送的行另存为新 CSV 上传（内容不变的同名文件会被当作同一任务跳过）"
}
