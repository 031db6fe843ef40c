package phone

// FastPath answers for the forms nearly every CSV uses, 11 ASCII digits
// 1[3-9]xxxxxxxxx with or without "+86", of a number Clean returned, without
// a numbering plan. ok=false means "not this form, ask the slow path". When
// ok is true the answer is exactly what libphonenumber would give:
// numplan's TestFastPathMatchesSlowPath checks every 5-digit prefix and many
// random numbers, so an upgrade of phonenumbers whose metadata moves a prefix
// fails that test.
func FastPath(s string) (e164 string, ok, valid bool) {
	switch {
	case len(s) == 11:
	case len(s) == 14 && s[:3] == "+86":
		s = s[3:]
	default:
		return "", false, false
	}
	if s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return "", false, false
	}
	// 179 is no mobile prefix but 179xx00… reads as a carrier's international
	// prefix (17951 00 + country code) to phonenumbers, which may then find a
	// foreign number: leave that whole prefix to the slow path.
	if s[1] == '7' && s[2] == '9' {
		return "", false, false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false, false
		}
	}
	if !mobilePrefix(s) {
		return "", true, false
	}
	return "+86" + s, true, true
}

// mobilePrefix mirrors the CN mobile pattern of phonenumbers v1.8.1 metadata:
//
//	1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}
//
// For 11-digit numbers starting 1[3-9] nothing else in CN metadata matches
// (fixed lines starting with 1 begin 10), so "mobile pattern" equals "valid".
func mobilePrefix(d string) bool {
	switch d[1] {
	case '3', '8':
		return true
	case '4':
		return d[2] == '5' || d[2] == '7'
	case '5', '9':
		return d[2] != '4'
	case '6':
		return d[2] == '2' || (d[2] >= '5' && d[2] <= '7')
	case '7':
		if d[2] == '4' {
			return d[3] == '0' && d[4] <= '5'
		}
		return d[2] != '9'
	}
	return false
}
