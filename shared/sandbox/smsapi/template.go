package smsapi

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TemplateType is the kind a body template was approved as.
type TemplateType int

const (
	// Notification templates may be sent at any time.
	Notification TemplateType = iota
	// Marketing templates may be sent only 08:00–22:00 Beijing time.
	Marketing
)

func (t TemplateType) String() string {
	if t == Marketing {
		return "marketing"
	}
	return "notification"
}

// Template is an approved body template.
type Template struct {
	// Text is the body with {1}, {2}… placeholders, without the signature.
	Text string
	Type TemplateType
	// International marks a global (non-mainland) template.
	International bool
	// Params is the number of parameters the template was approved with; 0
	// means the highest placeholder index found in Text.
	Params int
}

// compiled is a Template split once into literal text and placeholders, so
// that a request only counts and copies.
type compiled struct {
	Template
	parts        []part
	literalRunes int
}

// part is literal text, or (when param > 0) the 1-based parameter index.
type part struct {
	text  string
	param int
}

func compileTemplate(id string, t Template) (*compiled, error) {
	c := &compiled{Template: t}
	maxIndex := 0
	rest := t.Text
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			c.addLiteral(rest)
			break
		}
		n, width := placeholderAt(rest[open:])
		if n == 0 {
			c.addLiteral(rest[:open+1])
			rest = rest[open+1:]
			continue
		}
		c.addLiteral(rest[:open])
		c.parts = append(c.parts, part{param: n})
		maxIndex = max(maxIndex, n)
		rest = rest[open+width:]
	}
	if c.Params == 0 {
		c.Params = maxIndex
	}
	if maxIndex > c.Params {
		return nil, fmt.Errorf("smsapi: template %s uses {%d} but declares %d parameters", id, maxIndex, c.Params)
	}
	return c, nil
}

func (c *compiled) addLiteral(s string) {
	if s == "" {
		return
	}
	c.parts = append(c.parts, part{text: s})
	c.literalRunes += utf8.RuneCountInString(s)
}

// placeholderAt parses "{n}" at the start of s and returns n and the width in
// bytes, or 0 when s does not start with a placeholder.
func placeholderAt(s string) (n, width int) {
	i := 1
	for i < len(s) && i <= 4 && s[i] >= '0' && s[i] <= '9' {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 1 || i >= len(s) || s[i] != '}' || n == 0 {
		return 0, 0
	}
	return n, i + 1
}

// bodyRunes is the length of the rendered body in characters.
func (c *compiled) bodyRunes(params []string) int {
	n := c.literalRunes
	for _, p := range c.parts {
		if p.param > 0 && p.param <= len(params) {
			n += utf8.RuneCountInString(params[p.param-1])
		}
	}
	return n
}

// render returns the message as the handset shows it: 【sign】 then the body
// for mainland messages, the body alone for global ones.
func (c *compiled) render(sign string, params []string) string {
	var b strings.Builder
	if !c.International && sign != "" {
		b.WriteString("【")
		b.WriteString(sign)
		b.WriteString("】")
	}
	for _, p := range c.parts {
		if p.param == 0 {
			b.WriteString(p.text)
		} else if p.param <= len(params) {
			b.WriteString(params[p.param-1])
		}
	}
	return b.String()
}
