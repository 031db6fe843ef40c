package sms

import "github.com/smsjump/smsjump/shared/jsonstr"

// appendSendSmsBody encodes req as the SDK's json.Marshal encodes a
// SendSmsRequest: its field order, omitting empty optional fields, strings
// escaped the way encoding/json escapes them (HTML characters included).
// The bytes are signed, so TestBodyMatchesSDK compares them with the SDK's.
func appendSendSmsBody(b []byte, req *Request) []byte {
	b = append(b, `{"PhoneNumberSet":`...)
	b = appendJSONStrings(b, req.Phones)
	b = append(b, `,"SmsSdkAppId":`...)
	b = jsonstr.Append(b, req.SdkAppID, jsonstr.HTMLSafe)
	b = append(b, `,"TemplateId":`...)
	b = jsonstr.Append(b, req.TemplateID, jsonstr.HTMLSafe)
	if req.SignName != "" {
		b = append(b, `,"SignName":`...)
		b = jsonstr.Append(b, req.SignName, jsonstr.HTMLSafe)
	}
	if len(req.Params) > 0 {
		b = append(b, `,"TemplateParamSet":`...)
		b = appendJSONStrings(b, req.Params)
	}
	if req.SessionContext != "" {
		b = append(b, `,"SessionContext":`...)
		b = jsonstr.Append(b, req.SessionContext, jsonstr.HTMLSafe)
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
		b = jsonstr.Append(b, s, jsonstr.HTMLSafe)
	}
	return append(b, ']')
}
