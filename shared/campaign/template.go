package campaign

import (
	"strings"
	"unicode/utf8"
)

// forbiddenSymbols may appear neither in a template nor in a variable value
// (Tencent Cloud SMS template rules). The full-width ￥ is the same sign as ¥
// to a reader and to the review, so it is refused too.
const forbiddenSymbols = "【】¥￥★☞✓※"

// marketingSuffix must end every marketing template.
const marketingSuffix = "拒收请回复R"

// tmplPart is literal text or one variable {n} of a template.
type tmplPart struct {
	lit string
	v   int // variable number, 0 for literal text
	off int // byte offset of the part in the template
}

// smsTemplate is a template body cut into literal text and variables.
type smsTemplate struct {
	parts  []tmplPart
	vars   []int // variable numbers in order of appearance
	litLen int   // characters of literal text, i.e. the length with empty variables
}

// parseTemplate finds {n} variables (n ≥ 1, no leading zero). Any other brace
// is literal text, as it is to Tencent.
func parseTemplate(s string) smsTemplate {
	var t smsTemplate
	litStart := 0
	for i := 0; i < len(s); {
		n, width := varAt(s, i)
		if width == 0 {
			i++
			continue
		}
		if i > litStart {
			t.parts = append(t.parts, tmplPart{lit: s[litStart:i], off: litStart})
		}
		t.parts = append(t.parts, tmplPart{v: n, off: i})
		t.vars = append(t.vars, n)
		i += width
		litStart = i
	}
	if litStart < len(s) {
		t.parts = append(t.parts, tmplPart{lit: s[litStart:], off: litStart})
	}
	for _, p := range t.parts {
		t.litLen += utf8.RuneCountInString(p.lit)
	}
	return t
}

// varAt reports the variable {n} starting at s[i], if any, and its width in bytes.
func varAt(s string, i int) (n, width int) {
	if s[i] != '{' || i+2 >= len(s) || s[i+1] < '1' || s[i+1] > '9' {
		return 0, 0
	}
	for j := i + 1; j < len(s) && j < i+5; j++ {
		switch c := s[j]; {
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
		case c == '}':
			return n, j - i + 1
		default:
			return 0, 0
		}
	}
	return 0, 0
}

// adjacentVars returns the first pair of variables with nothing between them.
func (t smsTemplate) adjacentVars() (a, b int, ok bool) {
	for i := 1; i < len(t.parts); i++ {
		if t.parts[i-1].v != 0 && t.parts[i].v != 0 {
			return t.parts[i-1].v, t.parts[i].v, true
		}
	}
	return 0, 0, false
}

// forbiddenIn returns the forbidden symbols s contains, each once.
func forbiddenIn(s string) string {
	var found strings.Builder
	for _, r := range forbiddenSymbols {
		if strings.ContainsRune(s, r) {
			found.WriteRune(r)
		}
	}
	return found.String()
}

// hasForbidden is forbiddenIn for the per-row hot path.
func hasForbidden(s string) bool {
	return strings.ContainsAny(s, forbiddenSymbols)
}

// MessageLength is how Tencent counts a message: every character of
// 【signature】 and body counts one, Chinese or not.
func MessageLength(signName, body string) int {
	return utf8.RuneCountInString(signName) + 2 + utf8.RuneCountInString(body)
}

// Segments is how many messages Tencent bills for a message of length chars:
// one up to 70, else ⌈length/67⌉ (long messages carry a 3-character header).
func Segments(length int) int {
	switch {
	case length <= 0:
		return 0
	case length <= 70:
		return 1
	}
	return (length + 66) / 67
}
