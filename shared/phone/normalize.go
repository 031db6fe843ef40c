// Package phone turns the phone numbers operators put in a CSV into the
// mainland-China mobile E.164 form SendSms takes, masks numbers for logs, and
// detects duplicates in flat memory.
package phone

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// maxCleanLen bounds the digits (plus an optional '+') handed to phonenumbers.
// E.164 has at most 15 digits; 0086 and similar prefixes add a few.
const maxCleanLen = 20

const mainlandCode = 86

// Normalize returns the E.164 form (+8613800138000) of a mainland China mobile
// number written the ways people write them: 13800138000, +86 138-0013-8000,
// 0086 138 0013 8000, 8613800138000, with spaces, dashes, dots, brackets or
// full-width digits, and Excel's decimal export 13800138000.0. The error is an *Error whose Reason says why a number is
// unusable; it never contains the number unmasked.
func Normalize(raw string) (string, error) {
	s, err := clean(raw)
	if err != nil {
		return "", err
	}
	if e164, ok, valid := fastPath(s); ok {
		if !valid {
			return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
		}
		return e164, nil
	}
	return slowPath(s)
}

// clean trims the input and reduces it to ASCII digits with an optional
// leading '+'. Letters are rejected here on purpose: phonenumbers would
// convert "138ABCDEFGH" to keypad digits, which is never what a CSV meant.
func clean(raw string) (string, error) {
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

// slowPath asks phonenumbers, which knows every numbering plan but costs
// microseconds and several allocations per call.
func slowPath(s string) (string, error) {
	num, err := phonenumbers.Parse(s, "CN")
	if err != nil || num.GetExtension() != "" {
		return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
	}
	if cc := int(num.GetCountryCode()); cc != mainlandCode {
		region := phonenumbers.GetRegionCodeForCountryCode(cc)
		if region == "" || region == phonenumbers.UNKNOWN_REGION || region == "001" {
			region = fmt.Sprintf("+%d", cc)
		}
		return "", &Error{Reason: ReasonNotMainland, Masked: Mask(s), Region: region}
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", &Error{Reason: ReasonInvalid, Masked: Mask(s)}
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", &Error{Reason: ReasonNotMobile, Masked: Mask(s)}
	}
	if phonenumbers.GetRegionCodeForNumber(num) != "CN" {
		return "", &Error{Reason: ReasonNotMainland, Masked: Mask(s)}
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
