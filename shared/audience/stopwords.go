package audience

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultStopWords are the replies that mean "stop" (marketing templates end
// with 拒收请回复R). OPT_OUT_WORDS replaces them.
var DefaultStopWords = []string{"R", "TD", "T", "N", "退订", "拒收"}

// StopWords classifies SMS replies. Single words like R or TD must be the
// whole reply (after trimming), since they are common letters; words of two
// or more non-ASCII characters (退订, 拒收) also count inside a longer reply
// such as 请退订 or 退订谢谢.
type StopWords struct {
	whole    map[string]bool
	contains []string
}

// NewStopWords normalises words (full-width to half-width, lower case); an
// empty list means DefaultStopWords.
func NewStopWords(words []string) *StopWords {
	if len(words) == 0 {
		words = DefaultStopWords
	}
	s := &StopWords{whole: make(map[string]bool, len(words))}
	for _, w := range words {
		n := normalizeReply(w)
		if n == "" {
			continue
		}
		s.whole[n] = true
		if utf8.RuneCountInString(n) >= 2 && !isASCII(n) {
			s.contains = append(s.contains, n)
		}
	}
	return s
}

// IsStop reports whether reply asks to stop messages.
func (s *StopWords) IsStop(reply string) bool {
	n := normalizeReply(reply)
	if n == "" {
		return false
	}
	if s.whole[n] {
		return true
	}
	for _, w := range s.contains {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// normalizeReply folds full-width ASCII (Ｒ, ｔｄ) to half-width, lowers
// case, and drops white space and punctuation around and inside the reply
// ("R。", " t d ", "【退订】").
func normalizeReply(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～': // U+FF01..U+FF5E mirror ASCII 0x21..0x7E
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
