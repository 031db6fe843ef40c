package link

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// MaxCQ is the longest cq value WeChat accepts, counted after URL-encoding.
const MaxCQ = 256

// URL builds the link put into a message: base (the H5 page, e.g.
// https://h5.example.cn/) with c=campaign and, when code is not empty,
// k=code. A base without a path gets "/"; a query in base is kept.
func URL(base, campaign, code string) string {
	var b strings.Builder
	b.Grow(len(base) + len(campaign) + len(code) + 8)
	b.WriteString(base)
	switch {
	case strings.Contains(base, "?"):
		if !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&") {
			b.WriteByte('&')
		}
	case strings.Count(base, "/") == 2 && strings.Contains(base, "://"):
		b.WriteString("/?")
	default:
		b.WriteByte('?')
	}
	b.WriteString("c=")
	b.WriteString(url.QueryEscape(campaign))
	if code != "" {
		b.WriteString("&k=")
		b.WriteString(url.QueryEscape(code))
	}
	return b.String()
}

// CQ checks an attribution value and returns it URL-encoded, ready to follow
// "cq=": every byte but A–Z a–z 0–9 - _ . ~ becomes %XX. It fails with
// ErrInvalidCQ when s is not valid UTF-8, holds control characters, or is
// longer than MaxCQ once encoded. An empty s gives "".
func CQ(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%w: not UTF-8 text", ErrInvalidCQ)
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return "", fmt.Errorf("%w: control character at byte %d", ErrInvalidCQ, i)
		}
		if cqUnreserved(c) {
			n++
		} else {
			n += 3
		}
	}
	if n > MaxCQ {
		return "", fmt.Errorf("%w: %d characters encoded, more than %d", ErrInvalidCQ, n, MaxCQ)
	}
	if n == len(s) {
		return s, nil
	}
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if cqUnreserved(c) {
			out = append(out, c)
		} else {
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(out), nil
}

func cqUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}
