package phone

import "strings"

// Spreadsheets damage phone columns in two ways. A column left as "number"
// is exported in scientific notation once it is narrow (1.38001E+10): the
// digits after the sixth are gone, so the row can only be rejected. A column
// formatted as a number with decimals is exported as 13800138000.0: nothing
// is lost, so the number is read and the row noted.

// isScientific reports whether s looks like Excel's scientific notation:
// digits, an optional fraction, E or e, an optional sign, digits.
func isScientific(s string) bool {
	i := 0
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		digits()
	}
	if i == len(s) || s[i] != 'E' && s[i] != 'e' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	return digits() > 0 && i == len(s)
}

// trimExcelFloat cuts a ".0…" decimal tail from a number written as digits
// (optionally after '+'), and reports whether it did. "138.0013.8000" keeps
// its dots: only an all-zero fraction after the last digit group is Excel's.
func trimExcelFloat(s string) (string, bool) {
	dot := strings.IndexByte(s, '.')
	if dot <= 0 || dot == len(s)-1 || !isPlainDigits(s[:dot]) {
		return s, false
	}
	for i := dot + 1; i < len(s); i++ {
		if s[i] != '0' {
			return s, false
		}
	}
	return s[:dot], true
}

// ExcelFloat reports whether raw is a number Excel exported with decimals
// (13800138000.0), which Normalize reads as the integer: a report can note
// that the column should be text.
func ExcelFloat(raw string) bool {
	_, ok := trimExcelFloat(strings.TrimFunc(raw, isSeparator))
	return ok
}
