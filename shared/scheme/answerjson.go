package scheme

import (
	"strconv"
	"sync"
	"unicode/utf8"
)

// appendJSON appends a's JSON exactly as json.Marshal writes it (field
// order, omitempty, HTML-safe escapes): the 200 answer is written on every
// warm hit, and reflection over the struct cost two allocations of the
// eight a hit has left. FuzzAnswerJSON holds it to json.Marshal.
func (a *answer) appendJSON(b []byte) []byte {
	b = append(b, `{"openlink":`...)
	b = appendString(b, a.OpenLink)
	b = append(b, `,"expires_at":`...)
	b = strconv.AppendInt(b, a.ExpiresAt, 10)
	b = append(b, `,"mode":`...)
	b = appendString(b, a.Mode)
	b = append(b, `,"path":`...)
	b = appendString(b, a.Path)
	b = append(b, `,"query":`...)
	b = appendString(b, a.Query)
	b = append(b, `,"env_version":`...)
	b = appendString(b, a.EnvVersion)
	if a.Title != "" {
		b = append(b, `,"title":`...)
		b = appendString(b, a.Title)
	}
	if a.Poster != "" {
		b = append(b, `,"poster":`...)
		b = appendString(b, a.Poster)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString is encoding/json's string encoding with HTML escaping on.
func appendString(b []byte, s string) []byte {
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
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
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
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// answerBufs keeps the buffers answers are encoded in; the recorder copies
// what is written, so a buffer is free again once Write returns.
var answerBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}
