package jobview

import (
	"strings"

	"github.com/smsjump/smsjump/shared/send"
)

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
	if f.Fix != "" {
		// send-sms names the fix of every SMS code (sms.Explain): one table.
		return why, f.Fix
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
