package doctor

import (
	"context"
	"errors"
	"fmt"

	"github.com/smsjump/smsjump/shared/wechat"
)

const mpSettings = "微信公众平台（mp.weixin.qq.com）→ 开发管理 → 开发设置"

// checkWeChat asks for a token without force_refresh (which would
// invalidate the token the functions share) and, with a probe scheme, for
// today's remaining opens.
func checkWeChat(ctx context.Context, s Settings) []Result {
	if s.WeChatAppID == "" || s.WeChatSecret == "" {
		return []Result{fail("export WECHAT_APPID 和 WECHAT_SECRET（"+mpSettings+" → 开发者ID）", "微信凭据未设置")}
	}
	wc := wechat.New(s.WeChatAPIBase, s.WeChatAppID, s.WeChatSecret, nil)
	tok, err := wc.StableToken(ctx, false)
	if err != nil {
		return []Result{fail(wechatFix(err), "微信 stable_token 失败：%v", err)}
	}
	out := []Result{ok("微信凭据有效（stable_token，AppID %s）", s.WeChatAppID)}
	if s.QuotaProbeScheme == "" {
		return append(out, skip("未设置 QUOTA_PROBE_SCHEME：不查询今日剩余打开次数"))
	}
	info, err := wc.QueryScheme(ctx, tok.AccessToken, s.QuotaProbeScheme, wechat.QueryVisitQuota)
	switch {
	case err != nil:
		out = append(out, fail(wechatFix(err), "查询剩余打开次数（queryscheme）失败：%v", err))
	case info.RemainVisitQuota == 0:
		out = append(out, fail("今日打开次数已用完，北京时间次日 0 点恢复；可设 SCHEME_FALLBACK_PLAINTEXT=true 降级为明文 scheme",
			"今日剩余打开次数为 0"))
	case info.RemainVisitQuota > 0:
		out = append(out, ok("今日剩余打开次数 %d", info.RemainVisitQuota))
	default:
		out = append(out, warn("", "queryscheme 没有返回剩余打开次数"))
	}
	return out
}

// wechatFix names the console step for the errcodes a deploy meets first.
func wechatFix(err error) string {
	var we *wechat.Error
	if !errors.As(err, &we) {
		return "检查本机到 " + "api.weixin.qq.com 的网络"
	}
	switch we.Code {
	case 40013:
		return "WECHAT_APPID 不是有效的小程序 AppID：在 " + mpSettings + " 中复制「开发者ID(AppID)」"
	case 40001, 40125, 41004:
		return "WECHAT_SECRET 不对：在 " + mpSettings + " 中重置「开发者密码(AppSecret)」并更新 WECHAT_SECRET"
	case 40164:
		return "小程序开启了 API IP 白名单：在 " + mpSettings + " → IP 白名单 中加入本机出口 IP 和函数的固定出口 IP" +
			"（SCF 控制台 → 函数服务 → 函数 → 函数配置 → 固定出口 IP；serverless.yml 已设 eip: true，部署后在该页查看 IP）"
	case 89503, 89506, 89507:
		return "此 IP 的调用需要小程序管理员确认：在管理员微信里确认，或把该 IP 加入 " + mpSettings + " → IP 白名单"
	case 45011, 45009:
		return "调用过于频繁，稍后再试"
	}
	if we.Hint != "" {
		return we.Hint
	}
	return fmt.Sprintf("微信错误码 %d，见微信开放文档的错误码说明", we.Code)
}
