package scf

import "bytes"

// decodeFunctionURL decodes the common Function URL event in one pass, with
// one copy of the payload shared by every string in it: the reflective
// decoder costs a third of a warm get-scheme hit's allocations. It accepts
// only the exact field names a Function URL sends (httpMethod, path,
// headers, queryString, body, isBase64Encoded as a JSON boolean), each at
// most once; for anything else — requestContext, the API Gateway maps, other
// names or spellings, null or string-typed fields — ok is false and the
// caller decodes with encoding/json, whose result is the reference
// (FuzzFunctionURLDecoder checks that both agree).
//
// Given st (NewRequest), it decodes for the request instead: e.Headers with
// canonical names, ready to be the request's http.Header without a second
// map, and the query into st.info.pairs, not e.QueryString. A header sent
// twice (in any spellings), a query name sent twice or a false or null
// query value then leaves the event to the reference path
// (FuzzNewRequestFastPath checks that the requests agree).
func decodeFunctionURL(raw []byte, e *HTTPEvent, st *requestState) (ok bool) {
	d := flatDecoder{data: raw, src: string(raw)}
	d.skipSpace()
	if !d.byte('{') {
		return false
	}
	// Headers and query share one array of values.
	backing := make([]string, 0, bytes.Count(raw, []byte{':'})+2)
	var seen uint8
	d.skipSpace()
	if d.byte('}') {
		return d.end() == nil
	}
	for {
		d.skipSpace()
		key, err := d.str()
		if err != nil {
			return false
		}
		d.skipSpace()
		if !d.byte(':') {
			return false
		}
		d.skipSpace()
		var bit uint8
		switch key {
		case "httpMethod":
			bit = 1
			e.HTTPMethod, err = d.plainString()
		case "path":
			bit = 2
			e.Path, err = d.plainString()
		case "body":
			bit = 4
			e.Body, err = d.plainString()
		case "headers":
			bit = 8
			e.Headers, backing, err = d.multiValues(backing, st != nil)
		case "queryString":
			bit = 16
			if st != nil {
				st.info.pairs, backing, err = d.queryPairs(backing, st.pairBuf[:0])
			} else {
				e.QueryString, backing, err = d.multiValues(backing, false)
			}
		case "isBase64Encoded":
			bit = 32
			switch {
			case d.literal("true"):
				e.IsBase64Encoded = true
			case d.literal("false"):
				e.IsBase64Encoded = false
			default:
				return false
			}
		default:
			return false
		}
		if err != nil || seen&bit != 0 {
			return false
		}
		seen |= bit
		d.skipSpace()
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return d.end() == nil
		}
		return false
	}
}

// plainString reads a JSON string; null and other types are left to
// encoding/json's rules by failing.
func (d *flatDecoder) plainString() (string, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return "", d.errorf("want a string")
	}
	return d.str()
}
