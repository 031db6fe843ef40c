package wxapi

import "crypto/rand"

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomString draws n characters from alphabet. The modulo bias is
// irrelevant for a sandbox; unpredictability is what matters, because tests
// must not be able to guess tokens or tickets.
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newTicket returns an 11-character ticket like the documented example
// weixin://dl/business/?t=XTSkBZlzqmn.
func newTicket() string { return randomString(11, alnum) }

// newAccessToken returns a token shaped like WeChat's: a numeric prefix, an
// underscore and ~130 URL-safe characters (the doc asks callers to keep 512).
func newAccessToken() string {
	return "86_" + randomString(133, alnum+"-_")
}
