package phone

import "strings"

// Mainland returns the E.164 form of raw when it is a mainland China mobile
// number, and ok=false otherwise. It accepts exactly the inputs
// numplan.Normalize accepts, with the same result, without libphonenumber
// (whose metadata, protobuf and language tables are half of get-scheme's
// binary): FuzzMainlandMatchesNormalize and TestMainlandMatchesNormalize in
// numplan hold the two together. It cannot say why a number was rejected;
// reports that need the reason use numplan.
func Mainland(raw string) (e164 string, ok bool) {
	s, err := Clean(raw)
	if err != nil {
		return "", false
	}
	if e164, decided, valid := FastPath(s); decided {
		return e164, valid
	}
	return mainlandSlow(s)
}

// mainlandSlow follows what phonenumbers.Parse(s, "CN") does with a cleaned
// number, as far as its outcome can be a mainland mobile number: every other
// outcome (another country, no valid country code, a number too short or
// long, a fixed line) is a rejection alike. The facts of the CN metadata it
// rests on are numplan's TestMainlandRestsOnMetadata.
func mainlandSlow(s string) (string, bool) {
	if s[0] != '+' {
		return dialled(s)
	}
	r := s[1:]
	switch {
	case len(r) <= 2:
		// Too short after '+'.
		return "", false
	case strings.HasPrefix(r, "86"):
		return national(r[2:])
	case r[0] == '0':
		// No country code starts with 0, so phonenumbers parses the digits
		// again without the '+', and keeps the result only if that finds a
		// country code: which, starting with 0, only "00" (the IDD) can.
		if strings.HasPrefix(r, "00") {
			return afterIDD(r[2:])
		}
	}
	// Another country's code; or none, and parsed again without '+' the
	// digits (not starting 0, 1 or 86) find none either.
	return "", false
}

// dialled is a number as dialled from mainland China, without '+'.
func dialled(s string) (string, bool) {
	if n := iddLen(s); n > 0 && (n == len(s) || s[n] != '0') {
		// An IDD is taken as one only when a digit other than 0 follows:
		// country codes never start with 0.
		return afterIDD(s[n:])
	}
	if strings.HasPrefix(s, "86") && len(s) > maxNationalLen {
		// Too long for a CN number, so the leading 86 is the country code;
		// phonenumbers strips a national prefix here, and once more below.
		return national(stripNationalPrefix(s[2:]))
	}
	return national(s)
}

// afterIDD is what follows an international prefix: a country code, then
// the national number.
func afterIDD(r string) (string, bool) {
	if len(r) <= 2 || !strings.HasPrefix(r, "86") {
		return "", false
	}
	return national(r[2:])
}

// national is a CN national number that may still carry one national prefix
// (0) or carrier code; phonenumbers strips it when what remains is of a
// possible length, which an 11-digit mobile number is.
func national(n string) (string, bool) {
	if isMobile(n) {
		return "+86" + n, true
	}
	if m := stripNationalPrefix(n); len(m) < len(n) && isMobile(m) {
		return "+86" + m, true
	}
	return "", false
}

// maxNationalLen is the longest possible CN national number (CN general
// description, possible lengths 7–12).
const maxNationalLen = 12

// iddLen is the length of the CN international prefix at the start of s,
// 00|1(?:[12]\d|79)\d\d00 (a carrier code then 00), or 0.
func iddLen(s string) int {
	if strings.HasPrefix(s, "00") {
		return 2
	}
	if carrierCode(s) && len(s) >= 7 && s[5:7] == "00" {
		return 7
	}
	return 0
}

// stripNationalPrefix removes CN's national prefix for parsing,
// (1(?:[12]\d|79)\d\d)|0: a carrier code such as 17951, or the trunk 0.
func stripNationalPrefix(n string) string {
	switch {
	case carrierCode(n):
		return n[5:]
	case strings.HasPrefix(n, "0"):
		return n[1:]
	}
	return n
}

// carrierCode reports whether s starts with a CN carrier selection code,
// 1(?:[12]\d|79)\d\d (s holds digits only).
func carrierCode(s string) bool {
	return len(s) >= 5 && s[0] == '1' && (s[1] == '1' || s[1] == '2' || s[1] == '7' && s[2] == '9')
}

// isMobile reports whether n (digits only) is an 11-digit CN mobile number.
func isMobile(n string) bool {
	return len(n) == 11 && n[0] == '1' && mobilePrefix(n)
}
