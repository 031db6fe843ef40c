// Package excelcsv writes report CSVs the way Excel in China opens them:
// UTF-8 with a byte order mark (else Excel assumes GB18030 and garbles
// Chinese), CRLF line ends, and cells that Excel would run as formulas
// defused, since phone and reason cells echo what operators uploaded.
package excelcsv

import "unicode/utf8"

// BOM starts every file so that Excel reads it as UTF-8.
const BOM = "\ufeff"

// AppendField appends s as one CSV cell: quoted only when it holds a comma,
// quote or line break; prefixed with ' when it starts with = + - @ (an E.164
// number like +8613800138000 is left alone); invalid UTF-8 replaced.
func AppendField(b []byte, s string) []byte {
	if plainField(s) {
		return append(b, s...)
	}
	return appendCell(b, s)
}

// appendCell is AppendField for any s.
func appendCell(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = string([]rune(s))
	}
	if s != "" && (s[0] == '=' || s[0] == '@' || (s[0] == '-' || s[0] == '+') && !isE164(s)) {
		s = "'" + s
	}
	quote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			quote = true
		}
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// plainField reports, in one pass, whether s goes into a cell as it is:
// ASCII with nothing to quote, and no formula start unless it is an E.164
// number. Nearly every report cell (numbers, states, codes, serials) is;
// the rest take AppendField's full path.
func plainField(s string) bool {
	if s == "" {
		return true
	}
	digits := true // after the first byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == ',', c == '"', c == '\r', c == '\n':
			return false
		case i > 0 && (c < '0' || c > '9'):
			digits = false
		}
	}
	switch s[0] {
	case '=', '@', '-':
		return false
	case '+':
		return digits && len(s) >= 2
	}
	return true
}

func isE164(s string) bool {
	if len(s) < 2 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
