package wechat

import "strings"

// MaxPlaintextQuery is the longest query of a plaintext scheme. The
// documentation ("最大512个字符 … 需要url_encode") states the limit and the
// character set for the query itself, so both apply before encoding.
const MaxPlaintextQuery = 512

const opPlaintext = "plaintext scheme"

// PlaintextScheme builds the documented plaintext scheme
// weixin://dl/business/?appid=APPID&path=PATH&query=QUERY&env_version=ENV.
// It needs no API call and spends no generation quota, but works only for
// pages declared in the MP admin (隐私与安全 → 明文 scheme 拉起此小程序).
// path loses its leading "/"; query is encoded as one value with
// encodeURIComponent semantics and left out when empty; envVersion defaults
// to release. Check the query with ValidatePlaintextQuery first.
func PlaintextScheme(appID, path, query, envVersion string) string {
	if envVersion == "" {
		envVersion = EnvRelease
	}
	var b strings.Builder
	b.WriteString(schemePrefix)
	b.WriteString("?appid=")
	b.WriteString(encodeURIComponent(appID))
	b.WriteString("&path=")
	for i, seg := range strings.Split(strings.TrimLeft(path, "/"), "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(encodeURIComponent(seg))
	}
	if query != "" {
		b.WriteString("&query=")
		b.WriteString(encodeURIComponent(query))
	}
	b.WriteString("&env_version=")
	b.WriteString(encodeURIComponent(envVersion))
	return b.String()
}

// ValidatePlaintextQuery reports, as ErrConfig, a query a plaintext scheme
// cannot carry: more than MaxPlaintextQuery characters before encoding, or a
// character outside digits, letters and !#$&'()*+,/:;=?@-._~%.
func ValidatePlaintextQuery(query string) error {
	return validateQuery(opPlaintext, query, MaxPlaintextQuery)
}

// ValidatePlaintextTarget checks everything PlaintextScheme's inputs must
// satisfy, so configuration can be rejected at start-up.
func ValidatePlaintextTarget(appID, path, query, envVersion string) error {
	if appID == "" {
		return configError(opPlaintext, "no AppID", "set WECHAT_APPID")
	}
	if strings.TrimLeft(path, "/") == "" {
		return configError(opPlaintext, "no path", "a plaintext scheme needs the page path declared in the MP admin")
	}
	if err := validatePath(opPlaintext, path); err != nil {
		return err
	}
	if err := validateEnv(opPlaintext, envVersion); err != nil {
		return err
	}
	return ValidatePlaintextQuery(query)
}

// encodeURIComponent escapes like JavaScript's encodeURIComponent: every
// byte except A–Z a–z 0–9 - _ . ! ~ * ' ( ) becomes %XX. url.QueryEscape
// differs (space as '+', and it escapes ! * ' ( )), and WeChat's examples are
// written for the JavaScript function.
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	n := 0
	for i := 0; i < len(s); i++ {
		if !uriUnreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if uriUnreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func uriUnreserved(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-_.!~*'()", c) >= 0
}
