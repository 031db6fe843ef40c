// Package scheme is get-scheme: it turns a tapped link (campaign, code, cq)
// into a WeChat URL Scheme, from a cache shared by every instance, a
// plaintext scheme, or a fallback, and serves it as an http.Handler.
package scheme
