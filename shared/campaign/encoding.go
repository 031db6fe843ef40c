package campaign

import "unicode/utf8"

// Encoding is the character encoding of a CSV file.
type Encoding string

const (
	// EncodingUndecided: everything read so far was ASCII, which reads the same
	// in both encodings; the first non-ASCII row decides.
	EncodingUndecided Encoding = ""
	// UTF8 covers UTF-8 with or without a byte order mark.
	UTF8 Encoding = "utf-8"
	// GB18030 is what Excel on Chinese Windows writes ("CSV (逗号分隔)"); it
	// is a superset of GBK and GB2312.
	GB18030 Encoding = "gb18030"
)

// DetectWindow is how many bytes encoding detection looks at.
const DetectWindow = 64 << 10

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// detectEncoding decides from a window of the file that starts at a row
// boundary: valid UTF-8 is UTF-8, anything else GB18030 (GB18030 Chinese text
// is practically never valid UTF-8). atEOF says the window holds the rest of
// the file; otherwise a UTF-8 character cut by the window's edge is not held
// against the file. A window of pure ASCII decides nothing unless it is all
// there is.
func detectEncoding(p []byte, atEOF bool) Encoding {
	ascii := true
	for _, c := range p {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		if atEOF {
			return UTF8
		}
		return EncodingUndecided
	}
	if !atEOF {
		p = trimPartialRune(p)
	}
	if utf8.Valid(p) {
		return UTF8
	}
	return GB18030
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of p.
func trimPartialRune(p []byte) []byte {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return p[:i]
			}
			return p
		}
	}
	return p
}
