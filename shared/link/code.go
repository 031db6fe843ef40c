package link

import (
	"crypto/rand"
	"fmt"
)

// Code lengths a registry accepts. Resolve accepts every length in range, so
// codes already sent stay valid when CodeLength changes.
const (
	MinCodeLength     = 6
	MaxCodeLength     = 12
	DefaultCodeLength = 8
)

// codeAlphabet has 32 symbols without look-alikes (no 0 O 1 I, no lower
// case, so no l): a code read aloud or retyped survives, and 32 symbols make
// each byte of randomness map to one symbol without bias (5 bits each; 8
// characters carry 40 bits).
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// codeSymbol[b] is 1 for bytes of the alphabet.
var codeSymbol = func() (t [256]byte) {
	for i := 0; i < len(codeAlphabet); i++ {
		t[codeAlphabet[i]] = 1
	}
	return t
}()

// Code is what a personal code stands for.
type Code struct {
	Campaign string `json:"c"`
	// Query, when set, replaces the campaign target's query for this recipient.
	Query string `json:"q,omitempty"`
	// CQ is the raw attribution value appended to the scheme as cq=
	// (encoded by CQ).
	CQ string `json:"cq,omitempty"`
}

// ValidCodeFormat reports whether code has a possible length and only
// alphabet symbols. It looks at every byte whatever it finds, so its time
// depends on the length alone.
func ValidCodeFormat(code string) bool {
	n := len(code)
	lenOK := n >= MinCodeLength && n <= MaxCodeLength
	if n > MaxCodeLength {
		n = MaxCodeLength
	}
	var ok byte = 1
	for i := 0; i < n; i++ {
		ok &= codeSymbol[code[i]]
	}
	return lenOK && ok == 1
}

// newCode draws n symbols from crypto/rand.
func newCode(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("link: random code: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b), nil
}

// Mask shortens a code for logs: a code is a bearer link, so only its first
// two characters are shown.
func Mask(code string) string {
	if len(code) <= 2 {
		return "****"
	}
	return code[:2] + "****"
}
