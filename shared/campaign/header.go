package campaign

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// phoneColumnNames are tried in this order against the header, ignoring case
// and spaces; the first that matches names the phone column. Mobile-specific
// names come before the generic 电话 ones, so a CSV with both a 手机号 and a
// 联系电话 (often a landline) column sends to the mobile one.
var phoneColumnNames = []string{"phone", "mobile", "手机号", "手机号码", "手机", "号码", "电话号码", "联系电话", "电话", "tel"}

// PhoneColumnNames returns the header names that identify the phone column,
// in priority order: phone, mobile, 手机号, 手机号码, 手机, 号码, 电话号码, 联系电话,
// 电话, tel. Matching
// ignores case and white space, so "Phone", " 手机 号 " and "TEL" all count.
// A manifest's phone_column overrides the list.
func PhoneColumnNames() []string { return slices.Clone(phoneColumnNames) }

var (
	// ErrNoHeader: the file has no header row (it is empty or blank).
	ErrNoHeader = errors.New("CSV has no header row")
	// ErrBadHeader: the header row cannot be used (unreadable, or no phone column).
	ErrBadHeader = errors.New("CSV header row is unusable")
)

// Header is the CSV's first row: column names and where the phone is.
type Header struct {
	names []string
	index map[string]int // normalized name → first column with it
	dup   map[string]bool
	phone int
}

// NewHeader builds a header from column names. phoneColumn names the phone
// column; empty means the first match of PhoneColumnNames.
func NewHeader(names []string, phoneColumn string) (*Header, error) {
	h := &Header{
		names: make([]string, len(names)),
		index: make(map[string]int, len(names)),
		dup:   map[string]bool{},
		phone: -1,
	}
	for i, n := range names {
		n = strings.TrimFunc(n, isBlankRune)
		h.names[i] = n
		key := columnKey(n)
		if key == "" {
			continue
		}
		if _, seen := h.index[key]; seen {
			h.dup[key] = true
			continue
		}
		h.index[key] = i
	}
	candidates := phoneColumnNames
	if phoneColumn != "" {
		candidates = []string{phoneColumn}
	}
	for _, c := range candidates {
		if i, ok := h.index[columnKey(c)]; ok {
			h.phone = i
			break
		}
	}
	if h.phone < 0 {
		want := "one of " + strings.Join(phoneColumnNames, ", ")
		if phoneColumn != "" {
			want = fmt.Sprintf("%q (phone_column)", phoneColumn)
		}
		return nil, fmt.Errorf("%w: no phone column: the header has %s; name the column %s",
			ErrBadHeader, quoteList(h.names), want)
	}
	return h, nil
}

// Names returns the column names as written (trimmed).
func (h *Header) Names() []string { return slices.Clone(h.names) }

// Len is the number of columns.
func (h *Header) Len() int { return len(h.names) }

// PhoneIndex is the index of the phone column.
func (h *Header) PhoneIndex() int { return h.phone }

// Index finds a column by name, ignoring case and white space. When two
// columns share a name the first wins; Ambiguous tells.
func (h *Header) Index(name string) (int, bool) {
	i, ok := h.index[columnKey(name)]
	return i, ok
}

// Ambiguous reports whether more than one column has this name.
func (h *Header) Ambiguous(name string) bool { return h.dup[columnKey(name)] }

// columnKey is the form names are compared in: lower case, no white space.
func columnKey(s string) string {
	return strings.Map(func(r rune) rune {
		if isBlankRune(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// isBlankRune is white space plus the invisible characters spreadsheets leave.
func isBlankRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no columns"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return "columns " + strings.Join(q, ", ")
}
