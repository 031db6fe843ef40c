package wechat

// ErrorFor exposes the errcode mapping to the external tests.
func ErrorFor(op string, code int, msg string) error { return newAPIError(op, 200, code, msg) }
