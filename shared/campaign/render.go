package campaign

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrNoLinkCode: Render was called without the personal code a link_mode
// personal campaign needs. It is a bug in the caller, not a property of the row.
var ErrNoLinkCode = errors.New("campaign: personal link code missing")

// Rendered is one row ready to send.
type Rendered struct {
	// Params are the TemplateParamSet values, {1} first. When every
	// parameter is a constant, all rows share one slice: read it only.
	Params []string
	// Body is the message text as the recipient reads it, without the signature.
	Body string
	// Query is target.query, the same for every row.
	Query string
	// CQ is target.cq with this row's values (URL-encoded), not yet
	// encoded as a cq value.
	CQ string
	// Length counts 【signature】 and body the way Tencent does.
	Length int
	// Segments is how many messages are billed.
	Segments int
}

type paramKind uint8

const (
	fromColumn paramKind = iota
	fromConst
	fromLink
)

type boundParam struct {
	kind   paramKind
	col    int    // header index, fromColumn
	name   string // column name, for messages
	value  string // fromConst, or the default of fromColumn
	hasDef bool
}

// Renderer turns rows into template parameters and messages. Build one per
// job; it is safe for concurrent use.
type Renderer struct {
	m       Manifest
	tmpl    smsTemplate
	params  []boundParam
	query   queryTemplate
	cq      queryTemplate
	signLen int
	// allConst: every parameter is a constant, so the message is the
	// same on every row; body and length are worked out once.
	allConst    bool
	constParams []string
	constBody   string
	constLen    int
}

// NewRenderer checks the manifest (Validate) and binds its columns to the CSV
// header. Errors match ErrInvalidManifest and list every problem, including
// columns the CSV does not have.
func NewRenderer(m Manifest, h *Header) (*Renderer, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	r := &Renderer{m: m, tmpl: parseTemplate(m.TemplateText), signLen: utf8.RuneCountInString(m.SignName) + 2}
	var ps problems
	bind := func(path, col string) int {
		i, ok := h.Index(col)
		switch {
		case !ok:
			ps.add(path, fmt.Sprintf("column %q is not in the CSV header (%s)", col, quoteList(h.Names())))
		case h.Ambiguous(col):
			ps.add(path, fmt.Sprintf("the CSV has more than one column %q; rename one", col))
		}
		return i
	}
	for i, p := range m.Params {
		bp := boundParam{kind: fromConst}
		switch {
		case p.Link:
			bp.kind = fromLink
		case p.Const != nil:
			bp.value = *p.Const
		default:
			bp.kind, bp.name = fromColumn, p.Column
			bp.col = bind(fmt.Sprintf("params[%d].column", i), p.Column)
			if p.Default != nil {
				bp.value, bp.hasDef = *p.Default, true
			}
		}
		r.params = append(r.params, bp)
	}
	// target.query and target.cq are templates of the same kind, bound alike.
	bindQuery := func(path, tmpl string) queryTemplate {
		q, err := parseQueryTemplate(tmpl)
		if err != nil { // Validate already reported it; kept for safety
			ps.add(path, err.Error())
		}
		for k := range q.parts {
			if q.parts[k].col != "" {
				q.parts[k].idx = bind(path, q.parts[k].col)
			}
		}
		q.name = path
		return q
	}
	r.query = bindQuery("target.query", m.Target.Query)
	r.cq = bindQuery("target.cq", m.Target.CQ)
	if err := ps.err(); err != nil {
		return nil, err
	}
	r.allConst = true
	params := make([]string, len(r.params))
	for i, p := range r.params {
		if p.kind != fromConst {
			r.allConst = false
			break
		}
		params[i] = p.value
	}
	if r.allConst {
		r.constParams = params
		r.constBody = r.body(params)
		r.constLen = r.signLen + utf8.RuneCountInString(r.constBody)
	}
	return r, nil
}

// Manifest is the manifest the renderer was built from.
func (r *Renderer) Manifest() Manifest { return r.m }

// Render fills the template for one row. link is the row's personal code
// for link_mode personal (ignored otherwise). A row that cannot be sent gets
// a *RowError with its Reason; an empty value for a mapped column is
// missing_column unless the parameter has a default.
func (r *Renderer) Render(row Row, link string) (Rendered, error) {
	if row.Err != nil {
		return Rendered{}, row.Err
	}
	var out Rendered
	if r.allConst {
		out.Params, out.Body, out.Length = r.constParams, r.constBody, r.constLen
	} else {
		var err error
		if out.Params, err = r.rowParams(row, link); err != nil {
			return Rendered{}, err
		}
		out.Body = r.body(out.Params)
		out.Length = r.signLen + utf8.RuneCountInString(out.Body)
	}
	if out.Length > MaxMessageLen {
		return Rendered{}, reject(ReasonTooLong, fmt.Sprintf("%d characters with the signature, limit %d", out.Length, MaxMessageLen))
	}
	out.Segments = Segments(out.Length)
	q, rerr := r.query.render(row.Fields)
	if rerr != nil {
		return Rendered{}, rerr
	}
	if len(q) > MaxQueryLen {
		return Rendered{}, reject(ReasonQueryTooLong, fmt.Sprintf("%d characters, limit %d", len(q), MaxQueryLen))
	}
	out.Query = q
	cq, rerr := r.cq.render(row.Fields)
	if rerr != nil {
		return Rendered{}, rerr
	}
	if n := cqLen(cq); n > MaxCQLen {
		return Rendered{}, reject(ReasonQueryTooLong, fmt.Sprintf("target.cq is %d characters encoded, limit %d", n, MaxCQLen))
	}
	out.CQ = cq
	return out, nil
}

func (r *Renderer) checkParam(i int, p boundParam, v string) *RowError {
	switch {
	case hasForbidden(v):
		return reject(ReasonForbiddenSymbol, paramName(i, p)+" contains "+forbiddenIn(v))
	case containsURL(v):
		return reject(ReasonParamContainsURL, paramName(i, p)+" contains a link")
	}
	if n := utf8.RuneCountInString(v); n > r.m.ParamMaxLen {
		return reject(ReasonParamTooLong, fmt.Sprintf("%s is %d characters, limit %d", paramName(i, p), n, r.m.ParamMaxLen))
	}
	return nil
}

// paramName names a parameter in a rejection: the variable and its column,
// never the value, which may be personal data.
func paramName(i int, p boundParam) string {
	s := fmt.Sprintf("{%d}", i+1)
	if p.kind == fromColumn {
		s += " column " + p.name
	}
	return s
}

func (r *Renderer) body(params []string) string {
	n := len(r.m.TemplateText)
	for _, p := range params {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, part := range r.tmpl.parts {
		if part.v == 0 {
			b.WriteString(part.lit)
		} else {
			b.WriteString(params[part.v-1])
		}
	}
	return b.String()
}

// rowParams is the parameter values of one row.
func (r *Renderer) rowParams(row Row, link string) ([]string, error) {
	out := make([]string, len(r.params))
	for i, p := range r.params {
		var v string
		// A constant or a default passed Validate's valueProblems, the same
		// rules as checkParam: only row values need checking per row.
		fixed := false
		switch p.kind {
		case fromConst:
			v, fixed = p.value, true
		case fromLink:
			if link == "" {
				return nil, fmt.Errorf("%w (row %d)", ErrNoLinkCode, row.Index)
			}
			v = link
		case fromColumn:
			v = field(row.Fields, p.col)
			if v == "" {
				if !p.hasDef {
					return nil, reject(ReasonMissingColumn, fmt.Sprintf("{%d} column %s is empty", i+1, p.name))
				}
				v, fixed = p.value, true
			}
		}
		if !fixed {
			if err := r.checkParam(i, p, v); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	return out, nil
}
