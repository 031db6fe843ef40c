package store

import (
	"net/url"
	"strings"
)

// redactedURL renders u for error messages without its password. Beyond
// url.URL.Redacted, it masks everything before the last "@", because a
// malformed URL can carry credentials where Redacted does not look (an
// opaque part, a fragment).
func redactedURL(u *url.URL) string {
	return redactUserinfo(u.Redacted())
}

// redactUserinfo masks, in a URL-like string, the part between the scheme
// separator and the last "@". It may mask more than the userinfo; never less.
func redactUserinfo(s string) string {
	at := strings.LastIndex(s, "@")
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s, "://"); i >= 0 && i < at {
		start = i + 3
	} else if i := strings.Index(s, ":"); i >= 0 && i < at {
		start = i + 1
	}
	return s[:start] + "xxxxx" + s[at:]
}

// redactSecret removes the URL's password, raw and escaped, from a message
// produced by a library that may echo the URL back (url.Parse, go-redis).
func redactSecret(msg string, u *url.URL) string {
	if u != nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			for _, s := range []string{u.User.String(), pw, url.QueryEscape(pw), url.PathEscape(pw)} {
				msg = strings.ReplaceAll(msg, s, "xxxxx")
			}
		}
	}
	return redactUnparsed(msg, u.String())
}

// redactUnparsed strips whatever looks like the userinfo of rawURL from msg,
// for URLs too broken for url.Parse to find the password itself.
func redactUnparsed(msg, rawURL string) string {
	rest := rawURL
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	} else if i := strings.Index(rest, ":"); i >= 0 {
		rest = rest[i+1:]
	}
	if at := strings.LastIndex(rest, "@"); at > 0 {
		msg = strings.ReplaceAll(msg, rest[:at], "xxxxx")
	}
	return msg
}
