package funnel

import "strings"

// Platform is a class of visitor, from the User-Agent.
type Platform string

// Platforms. InApp is any in-app browser other than WeChat's (QQ, Weibo,
// Alipay, DingTalk, WeCom, Douyin…), where schemes often do not open.
// An iPad asking for the desktop site says "Macintosh" and counts as Desktop.
const (
	IOS     Platform = "ios"
	Android Platform = "android"
	WeChat  Platform = "wechat"
	InApp   Platform = "inapp"
	Desktop Platform = "desktop"
	Other   Platform = "other" // no or unrecognisable User-Agent (bots, tools)
)

// AllPlatforms in report order.
var AllPlatforms = []Platform{IOS, Android, WeChat, InApp, Desktop, Other}

// inAppMarkers are User-Agent fragments of in-app browsers. WeCom carries
// MicroMessenger too, so it is checked first.
var inAppMarkers = []string{
	"wxwork/", " QQ/", "Weibo", "AlipayClient", "DingTalk", "aweme", "NewsArticle",
	"Lark/", "Feishu", "baiduboxapp", "XiaoHongShu", "Kwai",
}

// Classify returns the platform of a User-Agent. It allocates nothing: it
// runs on every open.
func Classify(ua string) Platform {
	switch {
	case ua == "":
		return Other
	case hasAny(ua, inAppMarkers):
		return InApp
	case strings.Contains(ua, "MicroMessenger"):
		return WeChat
	case strings.Contains(ua, "iPhone"), strings.Contains(ua, "iPad"), strings.Contains(ua, "iPod"):
		return IOS
	case strings.Contains(ua, "Android"), strings.Contains(ua, "HarmonyOS"):
		return Android
	case strings.Contains(ua, "Windows"), strings.Contains(ua, "Macintosh"), strings.Contains(ua, "X11"), strings.Contains(ua, "CrOS"):
		return Desktop
	}
	return Other
}

func hasAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func knownPlatform(p Platform) bool {
	switch p {
	case IOS, Android, WeChat, InApp, Desktop, Other:
		return true
	}
	return false
}
