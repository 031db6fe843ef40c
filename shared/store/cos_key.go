package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// cosMaxName bounds the object name derived from one key. Store keys may be
// 512 bytes and escaping can triple that, past COS's 850-byte key limit and
// the 255-byte file name limit of file-backed S3 servers; longer names are
// shortened with a hash.
const cosMaxName = 200

// cosObjectName maps a store key to one flat object name, injectively:
//
//   - '/' is escaped so every key is a single name: no directory/file clash
//     between "a" and "a/b" on file-backed S3 servers, no "." or ".."
//     segments that a server might normalise;
//   - '%' and '~' are escaped so that escaping is reversible and a raw '~'
//     only ever appears in shortened names;
//   - control characters and invalid UTF-8 are escaped (they break XML
//     listings); other text, Chinese included, stays readable in the console;
//   - a name longer than cosMaxName becomes a readable head, '~', and the
//     SHA-256 of the key.
func cosObjectName(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for i := 0; i < len(key); {
		r, size := utf8.DecodeRuneInString(key[i:])
		switch {
		case r == utf8.RuneError && size <= 1,
			r < 0x20, r == 0x7f, r == '/', r == '%', r == '~':
			for j := 0; j < size; j++ {
				escapeByte(&b, key[i+j])
			}
		default:
			b.WriteString(key[i : i+size])
		}
		i += size
	}
	name := b.String()
	if name == "." || name == ".." {
		name = strings.ReplaceAll(name, ".", "%2E")
	}
	if len(name) <= cosMaxName {
		return name
	}
	head := name[:cosMaxName-65]
	for len(head) > 0 && !utf8.ValidString(head) {
		head = head[:len(head)-1]
	}
	sum := sha256.Sum256([]byte(key))
	return head + "~" + hex.EncodeToString(sum[:])
}

func escapeByte(b *strings.Builder, c byte) {
	const hexDigits = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&15])
}
