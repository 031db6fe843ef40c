// Package wechat is a thin client of the WeChat server API used by smsjump:
// cgi-bin/stable_token, wxa/generatescheme and wxa/queryscheme, plus the
// plaintext scheme builder. Every failure is an *Error whose kind callers
// test with errors.Is (ErrTokenInvalid, ErrRateLimited, ErrQuotaExhausted,
// ErrConfig, ErrTransient …); the client itself never retries.
package wechat
