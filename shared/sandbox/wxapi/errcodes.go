package wxapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
)

// errmsgs are the texts WeChat puts into errmsg. The English ones are the
// API's own; where only the documentation's Chinese description is known,
// that description is used.
var errmsgs = map[int]string{
	-1:    "system error",
	40001: "invalid credential, access_token is invalid or not latest, could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r",
	40002: "invalid grant_type",
	40013: "invalid appid",
	40014: "invalid access_token",
	40066: "invalid url",
	40097: "invalid args",
	40125: "invalid appsecret",
	40164: "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist",
	40165: "invalid weapp pagepath",
	40212: "invalid query",
	41001: "access_token missing",
	41002: "appid missing",
	41004: "appsecret missing",
	42001: "access_token expired",
	43002: "require POST method",
	44002: "empty post data",
	44990: "reach max api second frequence limit",
	44993: "reach max api day frequence limit",
	45009: "reach max api daily quota limit",
	45011: "api minute-quota reach limit, must slower, retry next minute",
	47001: "data format error",
	48001: "api unauthorized",
	85079: "miniprogram has no online release",
	85400: "reach max long time quota limit",
	85401: "time limit between 1min and 1year",
	85402: "invalid env_version",
	85403: "scheme not exist",
	85406: "单天访问次数已达上限",
	89503: "此次调用需要管理员确认，请耐心等候",
	89506: "该IP调用求请求已被公众号管理员拒绝，请24小时后再试",
	89507: "该IP调用求请求已被公众号管理员拒绝，请1小时后再试",
}

// errmsgsByPath covers codes whose meaning differs per API
// (generateScheme documents 40002 and 40013 as permission problems).
var errmsgsByPath = map[string]map[int]string{
	PathGenerateScheme: {
		40002: "暂无生成权限",
		40013: "生成权限被封禁",
	},
}

// Errmsg returns the errmsg the sandbox uses for code on path, without the
// " rid: …" suffix every real reply carries.
func Errmsg(path string, code int) string {
	if m, ok := errmsgsByPath[path][code]; ok {
		return m
	}
	if m, ok := errmsgs[code]; ok {
		return m
	}
	return fmt.Sprintf("injected errcode %d", code)
}

// rid imitates the request id WeChat appends to errmsg, so that clients are
// tested against messages that never compare equal to a constant.
func rid() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:16] + "-" + h[16:]
}
