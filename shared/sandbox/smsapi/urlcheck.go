package smsapi

import "strings"

// tlds are the endings that make a parameter look like a link to the SMS
// review; the list is a heuristic, the real service's is not published.
var tlds = []string{"com", "cn", "net", "org", "top", "xyz", "cc", "io", "me", "info", "vip", "shop", "link", "site", "online", "club", "tv", "co", "app"}

// looksLikeURL reports whether a template parameter carries a link, which
// the API rejects (InvalidParameterValue.ProhibitedUseUrlInTemplateParameter).
func looksLikeURL(s string) bool {
	l := strings.ToLower(s)
	if strings.Contains(l, "://") || strings.Contains(l, "www.") {
		return true
	}
	for i := 1; i < len(l); i++ {
		if l[i] != '.' || !isAlnum(l[i-1]) {
			continue
		}
		rest := l[i+1:]
		for _, t := range tlds {
			if strings.HasPrefix(rest, t) && (len(rest) == len(t) || !isAlnum(rest[len(t)])) {
				return true
			}
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}
