// Package phone turns the phone numbers operators put in a CSV into the
// mainland-China mobile E.164 form SendSms takes, masks numbers for logs, and
// detects duplicates in flat memory. It has no dependencies: get-scheme links
// it. The reasons a number is rejected, which need libphonenumber's numbering
// plans, are package numplan's.
package phone

import (
	"strings"
	"unicode"
)

// maxCleanLen bounds the digits (plus an optional '+') handed to phonenumbers.
// E.164 has at most 15 digits; 0086 and similar prefixes add a few.
const maxCleanLen = 20

// Clean trims the input and reduces it to ASCII digits with an optional
// leading '+', or fails with an *Error (empty, Excel's scientific notation,
// invalid). Letters are rejected here on purpose: phonenumbers would convert
// "138ABCDEFGH" to keypad digits, which is never what a CSV meant.
func Clean(raw string) (string, error) {
	s := raw
	if s == "" || !isDigitByte(s[0]) && s[0] != '+' || !isDigitByte(s[len(s)-1]) {
		s = strings.TrimFunc(raw, isSeparator)
	}
	if s == "" {
		return "", &Error{Reason: ReasonEmpty}
	}
	if t, ok := trimExcelFloat(s); ok {
		s = t
	}
	if isPlainDigits(s) {
		if len(s) > maxCleanLen {
			return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
		}
		return s, nil
	}
	var buf [maxCleanLen]byte
	n := 0
	for _, r := range s {
		var b byte
		switch {
		case r >= '0' && r <= '9':
			b = byte(r)
		case r >= '０' && r <= '９':
			b = byte(r-'０') + '0'
		case r == '+' || r == '＋':
			if n != 0 {
				return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
			}
			b = '+'
		case isSeparator(r) || isPunctuation(r):
			continue
		default:
			if isScientific(s) {
				return "", &Error{Reason: ReasonScientific, Masked: Mask(s)}
			}
			return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
		}
		if n == len(buf) {
			return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
		}
		buf[n] = b
		n++
	}
	if n == 0 || (n == 1 && buf[0] == '+') {
		return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
	}
	return string(buf[:n]), nil
}

// isPlainDigits reports whether s is already clean: ASCII digits with an
// optional leading '+'. It lets the common case skip the rebuilding loop.
func isPlainDigits(s string) bool {
	if s[0] == '+' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// isSeparator covers Unicode white space plus the invisible characters that
// come along when numbers are copied out of spreadsheets and chat apps.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// isPunctuation lists the grouping characters people put inside numbers:
// ASCII and full-width dashes, dots and brackets.
func isPunctuation(r rune) bool {
	switch r {
	case '-', '.', '(', ')',
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212',
		'－', '．', '（', '）':
		return true
	}
	return false
}
