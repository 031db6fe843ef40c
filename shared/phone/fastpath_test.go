package phone

import "testing"

// The fast path must refuse everything outside its narrow form.
func TestFastPathScope(t *testing.T) {
	for _, s := range []string{"", "1380013800", "138001380001", "12800138000", "02800138000",
		"+8513800138000", "8613800138000", "+86138001380x0", "1380013800x"} {
		if _, ok, _ := FastPath(s); ok {
			t.Errorf("FastPath(%q) claimed it", s)
		}
	}
}
