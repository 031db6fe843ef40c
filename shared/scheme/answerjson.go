package scheme

import (
	"strconv"
	"sync"

	"github.com/smsjump/smsjump/shared/jsonstr"
)

// appendJSON appends a's JSON exactly as json.Marshal writes it (field
// order, omitempty, HTML-safe escapes): the 200 answer is written on every
// warm hit, and reflection over the struct cost two allocations of the
// eight a hit has left. FuzzAnswerJSON holds it to json.Marshal.
func (a *answer) appendJSON(b []byte) []byte {
	b = append(b, `{"openlink":`...)
	b = jsonstr.Append(b, a.OpenLink, jsonstr.HTMLSafe|jsonstr.ShortBF)
	b = append(b, `,"expires_at":`...)
	b = strconv.AppendInt(b, a.ExpiresAt, 10)
	b = append(b, `,"mode":`...)
	b = jsonstr.Append(b, a.Mode, jsonstr.HTMLSafe|jsonstr.ShortBF)
	b = append(b, `,"path":`...)
	b = jsonstr.Append(b, a.Path, jsonstr.HTMLSafe|jsonstr.ShortBF)
	b = append(b, `,"query":`...)
	b = jsonstr.Append(b, a.Query, jsonstr.HTMLSafe|jsonstr.ShortBF)
	b = append(b, `,"env_version":`...)
	b = jsonstr.Append(b, a.EnvVersion, jsonstr.HTMLSafe|jsonstr.ShortBF)
	if a.Title != "" {
		b = append(b, `,"title":`...)
		b = jsonstr.Append(b, a.Title, jsonstr.HTMLSafe|jsonstr.ShortBF)
	}
	if a.Poster != "" {
		b = append(b, `,"poster":`...)
		b = jsonstr.Append(b, a.Poster, jsonstr.HTMLSafe|jsonstr.ShortBF)
	}
	return append(b, '}')
}

// answerBufs keeps the buffers answers are encoded in; the recorder copies
// what is written, so a buffer is free again once Write returns.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}
