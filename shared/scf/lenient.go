package scf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// LenientBool is a JSON boolean that also accepts the strings "true" and
// "false" (any case) and null. API Gateway has been seen sending
// isBase64Encoded both ways.
type LenientBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *LenientBool) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "true":
		*b = true
		return nil
	case "false", "null":
		*b = false
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			*b = true
			return nil
		case "false", "":
			*b = false
			return nil
		}
	}
	return fmt.Errorf("not a boolean: %.40s", data)
}

// MultiValues is a JSON object whose values may each be a string, an array of
// scalars, a boolean, a number or null, as seen in the wild for queryString,
// queryStringParameters and headers. It decodes into a map of string lists:
//
//	"a": "1"        → a=[1]
//	"a": ["1","2"]  → a=[1 2]
//	"a": true       → a=[""]   (a bare "?a" in the URL)
//	"a": false/null → a absent
//	"a": 3          → a=[3]    (the number's JSON text)
type MultiValues map[string][]string

// UnmarshalJSON implements json.Unmarshaler. It scans the flat object
// itself instead of going through map[string]json.RawMessage: this runs for
// every header and query of every request, and the detour cost more
// allocations than the rest of the adapter together.
func (m *MultiValues) UnmarshalJSON(data []byte) error {
	d := flatDecoder{data: data}
	d.skipSpace()
	out, _, err := d.multiValues(nil, false)
	if err != nil {
		return err
	}
	*m = out
	return d.end()
}

// multiValues reads a MultiValues object (or null) at the decoder's
// position, leaving it after the closing brace. The values go into backing
// (a new array when nil), which is returned for the next object to share.
// With canonical set the keys are header names made canonical, and two
// keys naming one header fail with errHeaderSpellings.
func (d *flatDecoder) multiValues(backing []string, canonical bool) (MultiValues, []string, error) {
	if d.literal("null") {
		return nil, backing, nil
	}
	if !d.byte('{') {
		return nil, backing, fmt.Errorf("want a JSON object, got %.20q", d.data[d.pos:])
	}
	// A size hint: the colons up to the first '}' (values are flat).
	rest := d.data[d.pos:]
	if i := bytes.IndexByte(rest, '}'); i >= 0 {
		rest = rest[:i]
	}
	out := make(MultiValues, min(bytes.Count(rest, []byte{':'}), 64))
	// One backing array holds every value; each key gets a capped window of
	// it, so appending to one key's slice cannot overwrite another's.
	if backing == nil {
		backing = make([]string, 0, len(out)+4)
	}
	d.skipSpace()
	if d.byte('}') {
		return out, backing, nil
	}
	for {
		d.skipSpace()
		key, err := d.str()
		if err != nil {
			return nil, backing, err
		}
		if canonical {
			key = canonicalHeaderKey(key)
			if _, dup := out[key]; dup {
				return nil, backing, errHeaderSpellings
			}
		}
		d.skipSpace()
		if !d.byte(':') {
			return nil, backing, d.errorf("want ':' after key %q", key)
		}
		d.skipSpace()
		first := len(backing)
		var present bool
		if backing, present, err = d.values(backing, key); err != nil {
			return nil, backing, err
		}
		if present {
			out[key] = backing[first:len(backing):len(backing)]
		} else {
			delete(out, key) // a later false/null wins, like a later duplicate
		}
		d.skipSpace()
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return out, backing, nil
		}
		return nil, backing, d.errorf("want ',' or '}' after value of %q", key)
	}
}

// errHeaderSpellings: one header name sent twice, in one spelling or two.
// MultiValues keeps the last of one spelling and a request merges two
// spellings; the canonical one-pass decode leaves both cases to them.
var errHeaderSpellings = errors.New("header name sent twice")

// values reads the value of key: a scalar or an array of scalars, appended
// to backing. present is false for a lone false or null, which mean "no
// value"; an array, even empty, is present.
func (d *flatDecoder) values(backing []string, key string) (_ []string, present bool, err error) {
	if !d.byte('[') {
		v, ok, err := d.scalar()
		if err != nil {
			return backing, false, fmt.Errorf("value of %q: %w", key, err)
		}
		if ok {
			backing = append(backing, v)
		}
		return backing, ok, nil
	}
	d.skipSpace()
	if d.byte(']') {
		return backing, true, nil
	}
	for {
		d.skipSpace()
		v, ok, err := d.scalar()
		if err != nil {
			return backing, false, fmt.Errorf("value of %q: %w", key, err)
		}
		if ok {
			backing = append(backing, v)
		}
		d.skipSpace()
		if d.byte(']') {
			return backing, true, nil
		}
		if !d.byte(',') {
			return backing, false, d.errorf("want ',' or ']' in value of %q", key)
		}
	}
}

// LenientInt64 is a JSON integer that also accepts a numeric string, for
// COS sizes and times whose type is not documented firmly.
type LenientInt64 int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *LenientInt64) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*n = 0
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		data = []byte(strings.TrimSpace(s))
		if len(data) == 0 {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %.40s", data)
	}
	*n = LenientInt64(v)
	return nil
}

// LenientString is a JSON string that also accepts a number, for ids such as
// a COS appid that some producers send unquoted.
type LenientString string

// UnmarshalJSON implements json.Unmarshaler.
func (s *LenientString) UnmarshalJSON(data []byte) error {
	v, ok, err := scalarString(data)
	if err != nil {
		return err
	}
	if ok {
		*s = LenientString(v)
	} else {
		*s = ""
	}
	return nil
}
