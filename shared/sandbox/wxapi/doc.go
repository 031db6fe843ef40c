// Package wxapi is a local stand-in for WeChat's server API (stable_token,
// generatescheme, queryscheme, generate_urllink, query_urllink) that keeps
// the documented rules: token reuse
// and force refresh, errcodes and errmsgs, limits and quotas. Tests and the
// local emulator point the real wechat client at it over loopback.
package wxapi
