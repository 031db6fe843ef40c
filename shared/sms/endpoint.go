package sms

import (
	"fmt"
	"net/url"
	"strings"
)

// endpoint is how the SDK's HttpProfile names a server: host[:port][/path]
// and a scheme of "HTTP" or "HTTPS". The zero host means the SDK's default
// (sms.tencentcloudapi.com).
type endpoint struct {
	host   string
	scheme string
}

// parseEndpoint accepts SMS_ENDPOINT values: a URL (http://127.0.0.1:8080,
// https://sms.ap-guangzhou.tencentcloudapi.com) or a bare host, which means
// HTTPS.
func parseEndpoint(s string) (endpoint, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return endpoint{scheme: "HTTPS"}, nil
	}
	raw := s
	if !strings.Contains(s, "://") {
		raw = "https://" + s
	}
	u, err := url.Parse(raw)
	if err != nil {
		return endpoint{}, fmt.Errorf("sms: endpoint %q: %w", s, err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return endpoint{}, fmt.Errorf("sms: endpoint %q: want scheme://host[:port][/path]", s)
	}
	ep := endpoint{host: u.Host}
	switch strings.ToLower(u.Scheme) {
	case "http":
		ep.scheme = "HTTP"
	case "https":
		ep.scheme = "HTTPS"
	default:
		return endpoint{}, fmt.Errorf("sms: endpoint %q: scheme must be http or https", s)
	}
	// The SDK splits its Endpoint at the first '/' into domain and path.
	if p := strings.TrimRight(u.EscapedPath(), "/"); p != "" {
		ep.host += p
	}
	return ep, nil
}

func (e endpoint) String() string {
	if e.host == "" {
		return "default"
	}
	return strings.ToLower(e.scheme) + "://" + e.host
}
