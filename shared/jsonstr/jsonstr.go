// Package jsonstr appends strings as JSON string literals without
// reflection, for the hot paths that write JSON by hand: the SCF integrated
// response, get-scheme's answer and the SendSms body. Each of those is held
// byte for byte to the encoder it stands in for by its own tests; the
// styles below are the only ways those encoders differ.
package jsonstr

import "unicode/utf8"

// Style selects the escapes that differ between encoders. Every style
// escapes quote, backslash and control characters, writes invalid UTF-8 as
// \ufffd and escapes U+2028/U+2029, so the output is valid JSON and valid
// JavaScript.
type Style uint8

const (
	// HTMLSafe escapes <, > and & as \u003c, \u003e and \u0026, as
	// encoding/json.Marshal does.
	HTMLSafe Style = 1 << iota
	// ShortBF writes backspace and form feed as \b and \f, as encoding/json
	// does since Go 1.22; without it they are \u0008 and \u000c, as older
	// encoders (the Tencent Cloud SDK's copy of encoding/json) write them.
	ShortBF
)

const hexDigits = "0123456789abcdef"

// plain[html][c] says whether ASCII byte c is copied as it is.
var plain = func() (t [2][utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[0][c] = c != '"' && c != '\\'
		t[1][c] = t[0][c] && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// Append appends s to b as a quoted JSON string in the given style.
func Append(b []byte, s string, st Style) []byte {
	copied := &plain[0]
	if st&HTMLSafe != 0 {
		copied = &plain[1]
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if copied[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c == '\b' && st&ShortBF != 0:
				b = append(b, '\\', 'b')
			case c == '\f' && st&ShortBF != 0:
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
