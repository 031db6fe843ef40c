package scf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// flatDecoder reads the flat JSON objects of MultiValues.
type flatDecoder struct {
	data []byte
	pos  int
	// src, when set, is string(data): strings without escapes are then
	// slices of it instead of one allocation each.
	src string
}

func (d *flatDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// byte consumes c if it is next.
func (d *flatDecoder) byte(c byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// literal consumes lit if it is next.
func (d *flatDecoder) literal(lit string) bool {
	if bytes.HasPrefix(d.data[d.pos:], []byte(lit)) {
		d.pos += len(lit)
		return true
	}
	return false
}

func (d *flatDecoder) end() error {
	d.skipSpace()
	if d.pos != len(d.data) {
		return d.errorf("trailing data")
	}
	return nil
}

func (d *flatDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("offset %d: "+format, append([]any{d.pos}, args...)...)
}

// str reads a JSON string.
func (d *flatDecoder) str() (string, error) {
	if !d.byte('"') {
		return "", d.errorf("want a string")
	}
	start := d.pos
	simple := true
	var seen byte // every byte ORed: below 0x80, the string is ASCII
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c >= 0x20 && c != '"' && c != '\\' {
			seen |= c
			d.pos++
			continue
		}
		switch {
		case c == '"':
			raw := d.data[start:d.pos]
			d.pos++
			if simple && (seen < utf8.RuneSelf || utf8.Valid(raw)) {
				if d.src != "" {
					return d.src[start : d.pos-1], nil
				}
				return string(raw), nil
			}
			// Escapes or invalid UTF-8: let encoding/json apply its rules.
			var s string
			if err := json.Unmarshal(d.data[start-1:d.pos], &s); err != nil {
				return "", err
			}
			return s, nil
		case c == '\\':
			simple = false
			d.pos += 2
		default: // below 0x20
			return "", d.errorf("control character in string")
		}
	}
	return "", d.errorf("unterminated string")
}

// scalar reads a string, number, boolean or null; ok is false for false and
// null, which mean "no value", and true for true, which means "present".
func (d *flatDecoder) scalar() (s string, ok bool, err error) {
	if d.pos >= len(d.data) {
		return "", false, d.errorf("want a value")
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		s, err = d.str()
		return s, err == nil, err
	case d.literal("true"):
		return "", true, nil
	case d.literal("false"), d.literal("null"):
		return "", false, nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.pos
		for d.pos < len(d.data) && strings.IndexByte("0123456789+-.eE", d.data[d.pos]) >= 0 {
			d.pos++
		}
		if !validNumber(d.data[start:d.pos]) {
			return "", false, d.errorf("bad number")
		}
		// Keep the number's JSON text, which is what the client typed.
		return string(d.data[start:d.pos]), true, nil
	case c == '[' || c == '{':
		return "", false, d.errorf("nested %c values are not supported", c)
	}
	return "", false, d.errorf("want a value")
}

// scalarString turns a lone JSON scalar into its string value, with the
// rules of flatDecoder.scalar.
func scalarString(v []byte) (s string, ok bool, err error) {
	d := flatDecoder{data: v}
	d.skipSpace()
	if s, ok, err = d.scalar(); err != nil {
		return "", false, err
	}
	return s, ok, d.end()
}

// validNumber reports whether b is a JSON number (RFC 8259 §6), which is
// stricter than strconv: no "01", "1.", ".5" or "+1".
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
