// Package numplan normalises phone numbers as operators write them with
// libphonenumber's numbering plans, and says why a number is rejected (not
// mainland, not mobile, invalid). It is apart from package phone because the
// plans bring protobuf and golang.org/x/text's language tables, about 5 MB of
// binary that get-scheme and token-refresh have no use for: they link phone
// alone, whose Mainland accepts the same numbers.
package numplan

import (
	"fmt"

	"github.com/nyaruka/phonenumbers"
	"github.com/smsjump/smsjump/shared/phone"
)

const mainlandCode = 86

// Normalize returns the E.164 form (+8613800138000) of a mainland China mobile
// number written the ways people write them: 13800138000, +86 138-0013-8000,
// 0086 138 0013 8000, 8613800138000, with spaces, dashes, dots, brackets or
// full-width digits, and Excel's decimal export 13800138000.0. The error is a
// *phone.Error whose Reason says why a number is unusable; it never contains
// the number unmasked.
func Normalize(raw string) (string, error) {
	s, err := phone.Clean(raw)
	if err != nil {
		return "", err
	}
	if e164, ok, valid := phone.FastPath(s); ok {
		if !valid {
			return "", &phone.Error{Reason: phone.ReasonInvalid, Masked: phone.Mask(s)}
		}
		return e164, nil
	}
	return slowPath(s)
}

// slowPath asks phonenumbers, which knows every numbering plan but costs
// microseconds and several allocations per call.
func slowPath(s string) (string, error) {
	num, err := phonenumbers.Parse(s, "CN")
	if err != nil || num.GetExtension() != "" {
		return "", &phone.Error{Reason: phone.ReasonInvalid, Masked: phone.Mask(s)}
	}
	if cc := int(num.GetCountryCode()); cc != mainlandCode {
		region := phonenumbers.GetRegionCodeForCountryCode(cc)
		if region == "" || region == phonenumbers.UNKNOWN_REGION || region == "001" {
			region = fmt.Sprintf("+%d", cc)
		}
		return "", &phone.Error{Reason: phone.ReasonNotMainland, Masked: phone.Mask(s), Region: region}
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", &phone.Error{Reason: phone.ReasonInvalid, Masked: phone.Mask(s)}
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", &phone.Error{Reason: phone.ReasonNotMobile, Masked: phone.Mask(s)}
	}
	if phonenumbers.GetRegionCodeForNumber(num) != "CN" {
		return "", &phone.Error{Reason: phone.ReasonNotMainland, Masked: phone.Mask(s)}
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
