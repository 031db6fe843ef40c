package sms

import "unicode/utf8"

// appendSendSmsBody encodes req as the SDK's json.Marshal encodes a
// SendSmsRequest: its field order, omitting empty optional fields, strings
// escaped the way encoding/json escapes them (HTML characters included).
// The bytes are signed, so TestBodyMatchesSDK compares them with the SDK's.
func appendSendSmsBody(b []byte, req *Request) []byte {
	b = append(b, `{"PhoneNumberSet":`...)
	b = appendJSONStrings(b, req.Phones)
	b = append(b, `,"SmsSdkAppId":`...)
	b = appendJSONString(b, req.SdkAppID)
	b = append(b, `,"TemplateId":`...)
	b = appendJSONString(b, req.TemplateID)
	if req.SignName != "" {
		b = append(b, `,"SignName":`...)
		b = appendJSONString(b, req.SignName)
	}
	if len(req.Params) > 0 {
		b = append(b, `,"TemplateParamSet":`...)
		b = appendJSONStrings(b, req.Params)
	}
	if req.SessionContext != "" {
		b = append(b, `,"SessionContext":`...)
		b = appendJSONString(b, req.SessionContext)
	}
	return append(b, '}')
}

func appendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString is encoding/json's string encoding with HTML escaping:
// control characters, quote, backslash, <, > and & escaped; invalid UTF-8
// as \ufffd; U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
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
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
