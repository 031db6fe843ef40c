package wechat

// Errcodes from the documentation of getStableAccessToken, generateScheme,
// queryScheme and the common errcode table.
const (
	CodeSystemBusy          = -1
	CodeInvalidCredential   = 40001 // token invalid or not latest
	CodeInvalidGrantType    = 40002 // stable_token: bad grant_type; generatescheme: no permission
	CodeInvalidAppID        = 40013 // stable_token: bad appid; generatescheme: permission banned
	CodeInvalidAccessToken  = 40014
	CodeInvalidURL          = 40066
	CodeInvalidArgs         = 40097
	CodeInvalidAppSecret    = 40125
	CodeIPNotWhitelisted    = 40164
	CodeInvalidPagePath     = 40165
	CodeInvalidQuery        = 40212
	CodeTokenMissing        = 41001
	CodeAppIDMissing        = 41002
	CodeSecretMissing       = 41004
	CodeTokenExpired        = 42001
	CodeRequirePOST         = 43002
	CodeSecondLimit         = 44990 // generatescheme: more than 100 calls per second
	CodeDayLimit            = 44993 // generatescheme + URL Link: 500 000 per day
	CodeDailyQuota          = 45009 // older daily-quota code, also used by stable_token
	CodeMinuteQuota         = 45011
	CodeDataFormat          = 47001
	CodeAPIUnauthorized     = 48001
	CodeNotPublished        = 85079
	CodeLongTermQuota       = 85400
	CodeExpireOutOfRange    = 85401
	CodeInvalidEnvVersion   = 85402
	CodeSchemeNotExist      = 85403
	CodeOpensExhausted      = 85406
	CodeAdminConfirmPending = 89503
	CodeIPRejected24h       = 89506
	CodeIPRejected1h        = 89507
)

// classify maps an errcode to its kind. Unknown codes are transient: the
// caller backs off and reports, which is the safe reaction to a code we have
// never seen.
func classify(code int) error {
	switch code {
	case CodeInvalidCredential, CodeTokenExpired, CodeInvalidAccessToken, CodeTokenMissing:
		return ErrTokenInvalid
	case CodeSecondLimit, CodeMinuteQuota:
		return ErrRateLimited
	case CodeDayLimit, CodeDailyQuota, CodeLongTermQuota:
		return ErrQuotaExhausted
	case CodeOpensExhausted:
		return ErrOpensExhausted
	case CodeSchemeNotExist:
		return ErrSchemeNotFound
	case CodeInvalidGrantType, CodeInvalidAppID, CodeInvalidURL, CodeInvalidArgs,
		CodeInvalidAppSecret, CodeIPNotWhitelisted, CodeInvalidPagePath, CodeInvalidQuery,
		CodeAppIDMissing, CodeSecretMissing, CodeRequirePOST, CodeDataFormat,
		CodeAPIUnauthorized, CodeNotPublished, CodeExpireOutOfRange, CodeInvalidEnvVersion,
		CodeAdminConfirmPending, CodeIPRejected24h, CodeIPRejected1h:
		return ErrConfig
	default:
		return ErrTransient
	}
}

type opCode struct {
	op   string
	code int
}

// hintsByOp holds fixes whose meaning depends on the API: 40002 and 40013
// mean different things for stable_token and generatescheme.
var hintsByOp = map[opCode]string{
	{opGenerate, CodeInvalidGrantType}: "this mini-program may not generate schemes: only non-individual mini-programs registered in mainland China may",
	{opGenerate, CodeInvalidAppID}:     "scheme generation is banned for this mini-program; see the notice in the MP admin",
	{opURLLink, CodeInvalidGrantType}:  "this mini-program may not generate URL Links: only non-individual mini-programs registered in mainland China may",
	{opURLLink, CodeInvalidAppID}:      "URL Link generation is banned for this mini-program; see the notice in the MP admin",
	{opToken, CodeInvalidGrantType}:    "grant_type must be client_credential (client bug)",
	{opToken, CodeInvalidAppID}:        "check WECHAT_APPID: it must be the mini-program's AppID",
	{opToken, CodeMinuteQuota}:         "stable_token is limited to 10 000 calls a minute, and force_refresh to 20 a day at least 30 s apart; retry later",
	{opToken, CodeDailyQuota}:          "stable_token is limited to 500 000 calls a day; keep tokens in the shared store instead of asking every time",
}

var hints = map[int]string{
	CodeSystemBusy:          "WeChat is busy; retry with backoff",
	CodeInvalidCredential:   "get a token again and retry once; if it keeps happening another server is force-refreshing the token",
	CodeInvalidAccessToken:  "get a token again and retry once",
	CodeTokenExpired:        "get a token again and retry once; refresh tokens before they expire (TOKEN_REFRESH_MARGIN)",
	CodeTokenMissing:        "pass an access token (client bug)",
	CodeInvalidURL:          "check WECHAT_API_BASE: it must point at https://api.weixin.qq.com or a compatible server",
	CodeInvalidArgs:         "the request's arguments are invalid (client bug)",
	CodeInvalidAppSecret:    "check WECHAT_SECRET: it must be the mini-program's current AppSecret (it changes when reset in the MP admin)",
	CodeIPNotWhitelisted:    "add the SCF egress IP to the mini-program's API IP whitelist (MP admin → 开发管理 → 开发设置 → IP白名单); the function needs a fixed egress IP",
	CodeInvalidPagePath:     "the path must be a page of the published mini-program, without a query; check the campaign's target path",
	CodeInvalidQuery:        "the query must be at most 1024 characters of digits, letters and !#$&'()*+,/:;=?@-._~%",
	CodeAppIDMissing:        "set WECHAT_APPID",
	CodeSecretMissing:       "set WECHAT_SECRET",
	CodeRequirePOST:         "the API requires POST (client bug)",
	CodeSecondLimit:         "more than 100 generatescheme calls per second; slow down and serve cached schemes",
	CodeDayLimit:            "the daily limit of 500 000 URL Schemes and URL Links is used up; serve cached or plaintext schemes (SCHEME_FALLBACK_PLAINTEXT) until midnight Beijing time",
	CodeDailyQuota:          "the daily call quota is used up; serve cached or plaintext schemes until midnight Beijing time, or reset the quota in the MP admin",
	CodeMinuteQuota:         "the per-minute call quota is used up; retry next minute",
	CodeDataFormat:          "the request body has wrong JSON types (client bug)",
	CodeAPIUnauthorized:     "the mini-program lacks permission for this API; check its verification status",
	CodeNotPublished:        "publish the mini-program first: schemes work only for a published mini-program",
	CodeLongTermQuota:       "long-term schemes are used up; ask for at most 30 days (SCHEME_TTL_DAYS)",
	CodeExpireOutOfRange:    "the expiry must be more than 1 minute and at most 30 days away (SCHEME_TTL_DAYS 1–30)",
	CodeInvalidEnvVersion:   "WECHAT_ENV_VERSION must be release, trial or develop",
	CodeSchemeNotExist:      "the scheme is unknown to WeChat; generate a new one",
	CodeOpensExhausted:      "today's scheme opens for this mini-program are used up; links work again after midnight Beijing time",
	CodeAdminConfirmPending: "an MP administrator must confirm calls from this IP; wait for the confirmation or add the IP to the API IP whitelist",
	CodeIPRejected24h:       "an MP administrator rejected calls from this IP; retry in 24 hours or add the IP to the API IP whitelist",
	CodeIPRejected1h:        "an MP administrator rejected calls from this IP; retry in 1 hour or add the IP to the API IP whitelist",
}

func hint(op string, code int) string {
	if h, ok := hintsByOp[opCode{op, code}]; ok {
		return h
	}
	return hints[code]
}
