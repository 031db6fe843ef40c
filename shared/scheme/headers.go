package scheme

import "net/http"

// Fixed response header values, each a one-element slice with len == cap so
// that an append by a later writer copies instead of writing into the
// shared array. Assigning them to the header map directly spares the slice
// http.Header.Set allocates for every header of every request.
var (
	hvNoStore       = fixed("no-store")
	hvNoSniff       = fixed("nosniff")
	hvOrigin        = fixed("Origin")
	hvRetryAfter    = fixed("Retry-After")
	hvJSON          = fixed("application/json; charset=utf-8")
	hvAllowMethods  = fixed("GET, OPTIONS")
	hvAllowHeaders  = fixed("Accept, Content-Type")
	hvPreflightTime = fixed("600")
)

func fixed(v string) []string { return []string{v}[:1:1] }

// setFixed sets canonical header name k to the shared value v.
func setFixed(h http.Header, k string, v []string) { h[k] = v }
