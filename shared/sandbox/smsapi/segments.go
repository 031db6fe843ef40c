package smsapi

// Mainland billing (Tencent SMS "国内短信内容长度计算规则"): every character
// counts one, signature brackets included; up to 70 is one message, longer
// text is split into 67-character parts. Global messages in the GSM 7-bit
// alphabet are billed at 160/153.
const (
	singleUCS2 = 70
	partUCS2   = 67
	singleGSM  = 160
	partGSM    = 153
	// maxContent is the longest signature plus body the API accepts.
	maxContent = 500
)

// segments returns how many messages a text of n units is billed as.
func segments(n, single, part int) int {
	if n <= single {
		return 1
	}
	return (n + part - 1) / part
}

// mainlandFee bills a mainland message whose signature and body have the
// given lengths in characters (the 【】 around the signature add two).
func mainlandFee(signRunes, bodyRunes int) int {
	return segments(signRunes+2+bodyRunes, singleUCS2, partUCS2)
}

// globalFee bills a global message by the GSM rule when every character is
// in the GSM 7-bit alphabet, else by the UCS-2 rule.
func globalFee(text string) int {
	if n, ok := gsmSeptets(text); ok {
		return segments(n, singleGSM, partGSM)
	}
	n := 0
	for range text {
		n++
	}
	return segments(n, singleUCS2, partUCS2)
}

// gsmSeptets counts text in GSM 03.38 septets, approximating the basic
// alphabet by printable ASCII (plus CR/LF) and charging the extension table
// characters two. ok is false when a character needs UCS-2.
func gsmSeptets(s string) (n int, ok bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '^' || c == '{' || c == '}' || c == '\\' || c == '[' || c == ']' || c == '~' || c == '|':
			n += 2
		case c == '`' || c >= 0x7f || (c < 0x20 && c != '\n' && c != '\r'):
			return 0, false
		default:
			n++
		}
	}
	return n, true
}
