package config

import (
	"net/url"
	"slices"
	"strings"
)

// withPageOrigin puts the origin of LINK_BASE_URL first in the allowed CORS
// origins: the page lives there and calls get-scheme on another domain (its
// Function URL), so without it every recipient's browser blocks the answer.
// ALLOWED_ORIGINS adds more (posters on another site, a test domain).
func withPageOrigin(linkBase string, extra []string) []string {
	u, err := url.Parse(linkBase)
	if linkBase == "" || err != nil || u.Host == "" {
		return extra
	}
	// Browsers send the origin in lower case and without a default port.
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	if u.Port() == "443" && u.Scheme == "https" || u.Port() == "80" && u.Scheme == "http" {
		origin = strings.ToLower(u.Scheme + "://" + u.Hostname())
	}
	if slices.Contains(extra, origin) {
		return extra
	}
	return append([]string{origin}, extra...)
}
