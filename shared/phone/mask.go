package phone

import "strings"

// maxShown is the most digits Mask ever reveals: 3 + 4 of an 11-digit number.
const maxShown = 7

// Mask hides the middle of a number for logs and reports: 13800138000,
// +8613800138000 and "0086 138-0013-8000" all become 138****8000. It accepts
// raw input as well as E.164, drops the +86/0086 prefix of mainland numbers,
// hides at least four digits and shows at most seven, so even a number that
// failed validation can be logged. Input without digits becomes "****".
func Mask(s string) string {
	var buf [32]byte
	d := buf[:0]
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r >= '０' && r <= '９':
			d = append(d, byte(r-'０')+'0')
		}
	}
	if len(d) == 0 {
		if strings.TrimSpace(s) == "" {
			return ""
		}
		return "****"
	}
	switch {
	case len(d) == 13 && string(d[:3]) == "861":
		d = d[2:]
	case len(d) == 15 && string(d[:5]) == "00861":
		d = d[4:]
	}
	hidden := max(4, len(d)-maxShown)
	shown := max(0, len(d)-hidden)
	tail := min(4, (shown+1)/2)
	head := shown - tail
	var b strings.Builder
	b.Grow(max(4, len(d)))
	b.Write(d[:head])
	b.WriteString(strings.Repeat("*", max(4, len(d)-head-tail)))
	b.Write(d[len(d)-tail:])
	return b.String()
}
