package zh

import (
	"io"
	"strings"

	"golang.org/x/text/width"
)

// Width is how many terminal columns s takes: Chinese characters and
// full-width forms take two. text/tabwriter counts runes, which misaligns
// every column after a Chinese label.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Table writes rows with their cells padded to a common display width,
// two spaces between columns, no trailing spaces.
func Table(w io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		// A row's last cell is not padded, so a long one (a path, an
		// error) does not push the other rows' columns apart.
		for i, c := range r[:max(len(r)-1, 0)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			first, _, _ := strings.Cut(c, "\n")
			widths[i] = max(widths[i], Width(first))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		line, col := "", 0
		var more []string // continuation lines of a multi-line cell
		for i, c := range r {
			if i > 0 {
				line += "  "
				col += 2
			}
			first, rest, multi := strings.Cut(c, "\n")
			line += first
			if multi {
				for _, l := range strings.Split(rest, "\n") {
					more = append(more, strings.Repeat(" ", col)+l)
				}
			}
			if i < len(r)-1 {
				line += strings.Repeat(" ", max(widths[i]-Width(first), 0))
				col += widths[i]
			}
		}
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
		for _, l := range more {
			b.WriteString(strings.TrimRight(l, " "))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Line is one row of a summary: a label, a value with its unit, a note.
type Line struct {
	Label, Value, Note string
}

// WriteLines prints lines as an aligned table, indented by indent.
func WriteLines(w io.Writer, indent string, lines []Line) error {
	rows := make([][]string, len(lines))
	for i, l := range lines {
		rows[i] = []string{indent + l.Label, l.Value}
		if l.Note != "" {
			rows[i] = append(rows[i], l.Note)
		}
	}
	return Table(w, rows)
}
