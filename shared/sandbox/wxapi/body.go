package wxapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

var errEmptyBody = errors.New("empty body")

// readBody reads a request body of at most maxBody bytes.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBody {
		return nil, errors.New("body too large")
	}
	if len(b) == 0 {
		return nil, errEmptyBody
	}
	return b, nil
}

// decodeStrict decodes JSON into v and reports whether the failure was a
// syntax error (true) or a wrong type (false). WeChat answers 47001 "data
// format error" to both, except stable_token, which treats an unparsable
// body as one without appid.
func decodeStrict(b []byte, v any) (syntax bool, err error) {
	err = json.Unmarshal(b, v)
	if err == nil {
		return false, nil
	}
	var se *json.SyntaxError
	return errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF), err
}
