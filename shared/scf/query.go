package scf

import (
	"errors"
	"net/http"
	"net/url"
)

// queryPair is one name of a request's query with its values.
type queryPair struct {
	name   string
	values []string
}

// errQueryShape: a queryString the one-pass decode leaves to encoding/json
// and MultiValues, whose rules for a name sent twice and for false and null
// values it does not repeat.
var errQueryShape = errors.New("query name repeated, false or null")

// queryPairs reads a queryString object (or null) for a request: each name
// once, in the order sent, its values windows of backing. A get-scheme
// request reads four names, which a scan of a few pairs finds without the
// map a url.Values costs.
func (d *flatDecoder) queryPairs(backing []string, pairs []queryPair) ([]queryPair, []string, error) {
	if d.literal("null") {
		return pairs, backing, nil
	}
	if !d.byte('{') {
		return nil, backing, d.errorf("want a JSON object")
	}
	d.skipSpace()
	if d.byte('}') {
		return pairs, backing, nil
	}
	for {
		d.skipSpace()
		name, err := d.str()
		if err != nil {
			return nil, backing, err
		}
		for _, p := range pairs {
			if p.name == name {
				return nil, backing, errQueryShape
			}
		}
		d.skipSpace()
		if !d.byte(':') {
			return nil, backing, d.errorf("want ':' after key %q", name)
		}
		d.skipSpace()
		first := len(backing)
		var present bool
		if backing, present, err = d.values(backing, name); err != nil {
			return nil, backing, err
		}
		if !present {
			return nil, backing, errQueryShape
		}
		pairs = append(pairs, queryPair{name, backing[first:len(backing):len(backing)]})
		d.skipSpace()
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return pairs, backing, nil
		}
		return nil, backing, d.errorf("want ',' or '}' after value of %q", name)
	}
}

// pairsOf appends q's names and values to ps.
func pairsOf(ps []queryPair, q url.Values) []queryPair {
	for k, vs := range q {
		ps = append(ps, queryPair{k, vs})
	}
	return ps
}

// sortPairs sorts ps by name, by insertion: a query has few names.
func sortPairs(ps []queryPair) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].name < ps[j-1].name; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// appendQuery appends ps, sorted by name, as url.Values.Encode writes a
// query: each value as name=value, joined by '&'.
func appendQuery(b []byte, ps []queryPair) []byte {
	start := len(b)
	for _, p := range ps {
		ek := url.QueryEscape(p.name)
		for _, v := range p.values {
			if len(b) > start {
				b = append(b, '&')
			}
			b = append(b, ek...)
			b = append(b, '=')
			b = append(b, url.QueryEscape(v)...)
		}
	}
	return b
}

// Query returns r's query values, read-only: the event's decoded query for
// a request built by NewRequest, which spares parsing RawQuery again, else
// r.URL.Query().
func Query(r *http.Request) url.Values {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		if info.query != nil {
			return info.query
		}
		q := make(url.Values, len(info.pairs))
		for _, p := range info.pairs {
			q[p.name] = p.values
		}
		return q
	}
	return r.URL.Query()
}

// QueryValue is Query(r).Get(name): the first value of name, or "". For a
// request built by NewRequest it reads the decoded query without a map.
func QueryValue(r *http.Request, name string) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		for _, p := range info.pairs {
			if p.name == name {
				if len(p.values) == 0 {
					return ""
				}
				return p.values[0]
			}
		}
		return ""
	}
	return r.URL.Query().Get(name)
}
