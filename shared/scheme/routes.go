package scheme

import (
	"net/http"
	"strings"
)

// ServeHTTP routes by the last segment of the path. A Function URL sees
// "/…", the local emulator strips its mount point, and a legacy API Gateway
// or TSE route keeps its own prefix (/release/scheme): so the last segment
// names the route, and any other path is the scheme answer, as it always
// was. New endpoints on the same Function URL get a name here.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch route(r.URL.Path) {
	case "jssdk":
		s.serveSignature(w, r)
	default:
		s.serveScheme(w, r)
	}
}

// route returns the last non-empty segment of path.
func route(path string) string {
	path = strings.TrimRight(path, "/")
	return path[strings.LastIndexByte(path, '/')+1:]
}
