package phone

// Reason is the stable code of a rejected number. It goes into reports
// unchanged, so the values never change once released. A Reason is itself an
// error, which lets callers write errors.Is(err, phone.ReasonNotMobile).
type Reason string

// Rejection reasons, in the order Normalize checks them.
const (
	// ReasonEmpty: the cell is blank.
	ReasonEmpty Reason = "empty_phone"
	// ReasonInvalid: not a phone number at all, or a number that does not exist
	// in the numbering plan (wrong length, unassigned prefix).
	ReasonInvalid Reason = "invalid_phone"
	// ReasonNotMainland: a number of Hong Kong, Macao, Taiwan or another
	// country. Domestic and international numbers cannot share one SendSms call
	// and need a different template, so they are set aside rather than sent.
	ReasonNotMainland Reason = "not_mainland"
	// ReasonNotMobile: a valid mainland number that cannot receive SMS
	// (a fixed line, toll-free or premium-rate number).
	ReasonNotMobile Reason = "not_mobile"
	// ReasonScientific: Excel showed the number in scientific notation
	// (1.38001E+10) and exported it so; the last digits are gone for good.
	ReasonScientific Reason = "excel_scientific"
)

// Reasons lists every reason code, for report legends and exhaustive tests.
func Reasons() []Reason {
	return []Reason{ReasonEmpty, ReasonScientific, ReasonInvalid, ReasonNotMainland, ReasonNotMobile}
}

// Error implements error with the bilingual message operators read.
func (r Reason) Error() string { return r.Message() }

// Message is a short English + Chinese explanation of the reason.
func (r Reason) Message() string {
	switch r {
	case ReasonEmpty:
		return "phone number is empty (手机号为空)"
	case ReasonInvalid:
		return "not a valid phone number (不是有效的手机号)"
	case ReasonNotMainland:
		return "not a mainland China number; send it with an international SMS template (非中国大陆号码，需使用国际/港澳台短信)"
	case ReasonNotMobile:
		return "not a mobile number, cannot receive SMS (不是手机号，无法接收短信)"
	case ReasonScientific:
		return "Excel scientific notation, the last digits are lost (Excel 科学计数法，号码后几位已丢失)"
	}
	return "phone number rejected (" + string(r) + ")"
}

// Error is the error Normalize returns. It never holds the full number, so it
// is safe to log.
type Error struct {
	Reason Reason
	// Masked is the input as Mask shows it (138****8000).
	Masked string
	// Region is the ISO region of a not_mainland number ("HK", "US"), or "+<code>"
	// when the country calling code has no region; empty otherwise.
	Region string
}

func (e *Error) Error() string {
	msg := "phone " + e.Masked + ": " + e.Reason.Message()
	if e.Region != "" {
		msg += " [" + e.Region + "]"
	}
	return msg
}

// Unwrap exposes the Reason to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Reason }
