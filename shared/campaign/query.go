package campaign

import (
	"errors"
	"net/url"
	"strings"
)

// queryPart is literal query text or a {{column}} placeholder.
type queryPart struct {
	lit string
	col string // column name as written, "" for literal text
	idx int    // column index in the CSV header, set by bind
}

// queryTemplate is target.query cut into literal text and {{column}} placeholders.
type queryTemplate struct {
	parts []queryPart
	name  string // manifest field, for row errors
}

// parseQueryTemplate splits s on {{column}} placeholders. Literal text must be
// a valid query string; placeholder values are URL-encoded when rendered.
func parseQueryTemplate(s string) (queryTemplate, error) {
	var q queryTemplate
	var probe strings.Builder
	for rest := s; rest != ""; {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if strings.Contains(rest, "}}") {
				return q, errors.New("has }} without {{")
			}
			q.parts = append(q.parts, queryPart{lit: rest})
			probe.WriteString(rest)
			break
		}
		if strings.Contains(rest[:i], "}}") {
			return q, errors.New("has }} without {{")
		}
		if i > 0 {
			q.parts = append(q.parts, queryPart{lit: rest[:i]})
			probe.WriteString(rest[:i])
		}
		end := strings.Index(rest[i+2:], "}}")
		if end < 0 {
			return q, errors.New("has {{ without }}")
		}
		col := strings.TrimSpace(rest[i+2 : i+2+end])
		if col == "" || strings.ContainsAny(col, "{}") {
			return q, errors.New("has an empty or malformed {{column}} placeholder")
		}
		q.parts = append(q.parts, queryPart{col: col})
		probe.WriteString("x")
		rest = rest[i+2+end+2:]
	}
	if strings.HasPrefix(s, "?") {
		return q, errors.New("starts with ?; write the query without it, e.g. from=sms")
	}
	if _, err := url.ParseQuery(probe.String()); err != nil {
		return q, errors.New("is not a valid query string (key=value&key=value, %-encoded): " + err.Error())
	}
	return q, nil
}

// literal is the template's fixed text, placeholders left out.
func (q queryTemplate) literal() string {
	var b strings.Builder
	for _, p := range q.parts {
		b.WriteString(p.lit)
	}
	return b.String()
}

func (q queryTemplate) columns() []string {
	var cols []string
	for _, p := range q.parts {
		if p.col != "" {
			cols = append(cols, p.col)
		}
	}
	return cols
}

// render writes the query for one row. Values are percent-encoded with %20
// for spaces: the mini-program decodes the query with decodeURIComponent,
// which leaves a '+' as a plus.
func (q queryTemplate) render(fields []string) (string, *RowError) {
	if len(q.parts) == 1 && q.parts[0].col == "" {
		return q.parts[0].lit, nil
	}
	var b strings.Builder
	size := 0
	for _, p := range q.parts {
		size += len(p.lit)
		if p.col != "" {
			size += 3 * len(field(fields, p.idx))
		}
	}
	b.Grow(size)
	for _, p := range q.parts {
		if p.col == "" {
			b.WriteString(p.lit)
			continue
		}
		v := field(fields, p.idx)
		if v == "" {
			return "", reject(ReasonMissingColumn, q.name+" column "+p.col+" is empty")
		}
		escapeQueryValue(&b, v)
	}
	return b.String(), nil
}

// escapeQueryValue percent-encodes everything but RFC 3986 unreserved
// characters, spaces included (%20, never '+').
func escapeQueryValue(b *strings.Builder, v string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

// field is the trimmed value of column i, "" when the row is short.
func field(fields []string, i int) string {
	if i < 0 || i >= len(fields) {
		return ""
	}
	return strings.TrimSpace(fields[i])
}
