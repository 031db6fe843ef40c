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

func knownPlatform(p Platform) bool {
	switch p {
	case IOS, Android, WeChat, InApp, Desktop, Other:
		return true
	}
	return false
}

// uaMark is what a User-Agent token says.
type uaMark uint8

const (
	markInApp uaMark = 1 << iota
	markWeChat
	markIOS
	markAndroid
	markDesktop
)

// uaTokens are the User-Agent tokens Classify looks for, by first byte.
// Each appears at the start of a token (after a space, '(' or ';'). WeCom
// also says MicroMessenger; in-app wins over WeChat.
var uaTokens = [256][]struct {
	prefix string
	mark   uaMark
}{
	'w': {{"wxwork/", markInApp}},
	'Q': {{"QQ/", markInApp}},
	'W': {{"Weibo", markInApp}, {"Windows", markDesktop}},
	'A': {{"AlipayClient", markInApp}, {"AliApp(DingTalk", markInApp}, {"Android", markAndroid}},
	'D': {{"DingTalk", markInApp}},
	'a': {{"aweme", markInApp}},
	'N': {{"NewsArticle", markInApp}},
	'L': {{"Lark/", markInApp}},
	'F': {{"Feishu", markInApp}},
	'b': {{"baiduboxapp", markInApp}},
	'X': {{"XiaoHongShu", markInApp}, {"X11", markDesktop}},
	'K': {{"Kwai", markInApp}},
	'M': {{"MicroMessenger", markWeChat}, {"Macintosh", markDesktop}},
	'i': {{"iPhone", markIOS}, {"iPad", markIOS}, {"iPod", markIOS}},
	'H': {{"HarmonyOS", markAndroid}},
	'O': {{"OpenHarmony", markAndroid}}, // HarmonyOS NEXT: counted with Android (no iOS-style direct scheme)
	'C': {{"CrOS", markDesktop}},
}

// Classify returns the platform of a User-Agent. It runs on every open, so
// it reads the string once and allocates nothing.
func Classify(ua string) Platform {
	var m uaMark
	for i := 0; i < len(ua); i++ {
		if i > 0 && ua[i-1] != ' ' && ua[i-1] != '(' && ua[i-1] != ';' {
			continue
		}
		for _, t := range uaTokens[ua[i]] {
			if strings.HasPrefix(ua[i:], t.prefix) {
				m |= t.mark
			}
		}
	}
	switch {
	case m&markInApp != 0:
		return InApp
	case m&markWeChat != 0:
		return WeChat
	case m&markIOS != 0:
		return IOS
	case m&markAndroid != 0:
		return Android
	case m&markDesktop != 0:
		return Desktop
	}
	return Other
}
