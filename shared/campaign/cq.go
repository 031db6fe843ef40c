package campaign

import (
	"fmt"
	"strings"
)

// perRowQueryProblem explains why {{column}} is refused in target.query
// and shows where it goes instead: one target per recipient would cost one
// WeChat generation per tap, while cq rides on the target's cached scheme.
func perRowQueryProblem(query string, q queryTemplate) string {
	var fixed, per []string
	for _, kv := range strings.Split(query, "&") {
		if strings.Contains(kv, "{{") {
			per = append(per, kv)
		} else if kv != "" {
			fixed = append(fixed, kv)
		}
	}
	return fmt.Sprintf("uses {{column}} placeholders (%s): every recipient would become a separate target, "+
		"costing one WeChat generation per tap against the 500 000 a day shared by all links; "+
		"keep target.query the same for everyone (%q) and move per-recipient values to target.cq (%q), "+
		"which reaches the mini-program's onLoad options the same way (needs link_mode personal)",
		strings.Join(q.columns(), ", "), strings.Join(fixed, "&"), strings.Join(per, "&"))
}

// validateCQ checks target.cq: a query string, per-row values only with
// personal links (a fixed link has no code to remember them), and short
// enough for WeChat's cq limit before any value is filled in.
func (m Manifest) validateCQ(ps *problems) {
	cq := m.Target.CQ
	if cq == "" {
		return
	}
	c, err := parseQueryTemplate(cq)
	switch {
	case err != nil:
		ps.add("target.cq", err.Error())
	case m.LinkMode != LinkPersonal:
		ps.add("target.cq", "needs link_mode personal: the per-recipient code is what remembers each row's cq")
	case cqLen(c.literal()) > MaxCQLen:
		ps.add("target.cq", fmt.Sprintf("is %d characters encoded without its values; WeChat's cq allows %d", cqLen(c.literal()), MaxCQLen))
	}
}

// cqLen is the length of s once encoded as a cq value (link.CQ): every
// byte but A–Z a–z 0–9 - _ . ~ takes three characters.
func cqLen(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			n++
		} else {
			n += 3
		}
	}
	return n
}
