package blob

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxKeyLen is COS's limit on object keys, in bytes.
const MaxKeyLen = 850

// ValidateKey accepts the keys that mean the same object on every backend:
// valid UTF-8 without control characters, at most MaxKeyLen bytes, and
// '/'-separated segments that are neither empty nor "." or "..". So a key
// can never climb out of a directory, and "a//b" cannot name on COS an
// object that a directory cannot hold. Spaces, Chinese and punctuation are
// fine.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty key", ErrInvalidKey)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: key of %d bytes exceeds %d", ErrInvalidKey, len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: key %q is not valid UTF-8", ErrInvalidKey, key)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: key %q contains a control character", ErrInvalidKey, key)
		}
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("%w: key %q has an empty, \".\" or \"..\" segment", ErrInvalidKey, key)
		}
	}
	return nil
}

// validatePrefix accepts "" and anything that is a valid key or a valid key
// followed by "/".
func validatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := ValidateKey(strings.TrimSuffix(prefix, "/")); err != nil {
		return fmt.Errorf("list prefix: %w", err)
	}
	return nil
}
