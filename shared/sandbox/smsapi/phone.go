package smsapi

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// phone is one entry of PhoneNumberSet as the sandbox understands it.
type phone struct {
	input    string
	e164     string // normalised form, echoed in SendStatus.PhoneNumber
	key      uint64 // E.164 digits, the key of the per-number limits
	mainland bool
	valid    bool
	iso      string
}

// parsePhone classifies s cheaply: mainland mobiles (the load-test path) are
// checked by hand; only global numbers go through libphonenumber.
func parsePhone(s string) phone {
	p := phone{input: s, e164: s}
	switch {
	case strings.HasPrefix(s, "+86"):
		p.mainland = true
		p.valid = isMainlandMobile(s[3:])
	case !strings.HasPrefix(s, "+"):
		// The API takes mainland numbers without +86; anything else without
		// a country code is a malformed mainland attempt.
		p.mainland = true
		p.valid = isMainlandMobile(s)
		if p.valid {
			p.e164 = "+86" + s
		}
	default:
		p.valid, p.iso = globalNumber(s)
	}
	if !p.valid {
		return p
	}
	if p.mainland {
		p.iso = "CN"
	}
	for i := 1; i < len(p.e164); i++ {
		p.key = p.key*10 + uint64(p.e164[i]-'0')
	}
	return p
}

// isMainlandMobile reports whether s is an 11-digit mainland mobile number
// (1[3-9]xxxxxxxxx).
func isMainlandMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	return allDigits(s)
}

func globalNumber(s string) (valid bool, iso string) {
	digits := s[1:]
	if len(digits) < 7 || len(digits) > 15 || !allDigits(digits) {
		return false, ""
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return false, ""
	}
	return true, phonenumbers.GetRegionCodeForNumber(n)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// keyString turns a phone key back into E.164.
func keyString(k uint64) string {
	var buf [20]byte
	i := len(buf)
	for k > 0 {
		i--
		buf[i] = byte('0' + k%10)
		k /= 10
	}
	i--
	buf[i] = '+'
	return string(buf[i:])
}
