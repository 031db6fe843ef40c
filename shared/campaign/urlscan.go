package campaign

import "strings"

// Tencent refuses any template variable that carries a link
// (InvalidParameterValue.ProhibitedUseUrlInTemplateParameter) and fails the
// whole request. Rows are screened here so that one bad value rejects one row.

// urlTLDs are the top-level domains treated as "this token is a link".
// Two-letter codes that are also common words or abbreviations (me, in, so,
// li…) are left out: decimals and names must not be rejected as links.
var urlTLDs = map[string]bool{
	"com": true, "cn": true, "net": true, "org": true, "gov": true, "edu": true,
	"info": true, "biz": true, "top": true, "xyz": true, "vip": true, "club": true,
	"shop": true, "site": true, "online": true, "store": true, "tech": true, "io": true,
	"co": true, "cc": true, "tv": true, "asia": true, "mobi": true, "pro": true,
	"link": true, "work": true, "fun": true, "icu": true, "ink": true, "wang": true,
	"ren": true, "city": true, "space": true, "website": true, "cloud": true,
	"app": true, "hk": true, "tw": true, "mo": true,
}

type span struct{ start, end int }

// findURLs returns the link-like tokens of s: http(s)://…, www.…, or a
// host name ending in a known top-level domain (example.cn/path). "3.5" and
// "No.1" are not links.
func findURLs(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		if !isURLByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isURLByte(s[j]) {
			j++
		}
		if sp, ok := urlInToken(s, i, j); ok {
			out = append(out, sp)
		}
		i = j
	}
	return out
}

// containsURL reports whether s has a link-like token.
func containsURL(s string) bool {
	for i := 0; i < len(s); {
		if !isURLByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isURLByte(s[j]) {
			j++
		}
		if _, ok := urlInToken(s, i, j); ok {
			return true
		}
		i = j
	}
	return false
}

// isURLByte: the ASCII characters a link is made of, plus {} so that a
// template variable inside a link (&k={2}) stays part of it. Anything else,
// including every non-ASCII character, ends a token.
func isURLByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#@!$&'*+,;=%{}", c) >= 0
}

func urlInToken(s string, start, end int) (span, bool) {
	// Leading and trailing punctuation belongs to the sentence, not the link.
	for start < end && !isAlnum(s[start]) {
		start++
	}
	for end > start && strings.IndexByte(".,;:!?'", s[end-1]) >= 0 {
		end--
	}
	tok := s[start:end]
	if tok == "" {
		return span{}, false
	}
	// Case-folding by hand: this runs for every template variable of every
	// row, and strings.ToLower would allocate for any upper-case code.
	for k := 0; k+len("http://") <= len(tok); k++ {
		if hasPrefixFold(tok[k:], "http://") || hasPrefixFold(tok[k:], "https://") {
			return span{start + k, end}, true
		}
	}
	if hasPrefixFold(tok, "www.") {
		return span{start, end}, true
	}
	host := tok
	if k := strings.IndexAny(host, "/?#:"); k >= 0 {
		host = host[:k]
	}
	if k := strings.LastIndexByte(host, '@'); k >= 0 {
		host = host[k+1:]
	}
	if isDomain(host) {
		return span{start, end}, true
	}
	return span{}, false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isDomain: two or more labels of letters, digits and '-', the last a known TLD.
func isDomain(host string) bool {
	dot := strings.LastIndexByte(host, '.')
	if dot <= 0 || len(host)-dot-1 > 8 {
		return false
	}
	var tld [8]byte
	n := copy(tld[:], host[dot+1:])
	for i := range n {
		if c := tld[i]; c >= 'A' && c <= 'Z' {
			tld[i] = c + 'a' - 'A'
		}
	}
	if !urlTLDs[string(tld[:n])] {
		return false
	}
	for label := range strings.SplitSeq(host, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
