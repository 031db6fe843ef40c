package phone

import "testing"

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "138****8000"},
		{"+8613800138000", "138****8000"},
		{"0086 138-0013-8000", "138****8000"},
		{"１３８００１３８０００", "138****8000"},
		{"+85291234567", "852****4567"},
		{"91234567", "91****67"},
		{"1380013800", "138****800"},
		{"138001380001", "138*****0001"},
		{"+12025550123", "120****0123"},
		{"123456789012345", "123********2345"},
		{"12345", "****5"},
		{"1234", "****"},
		{"1", "****"},
		{"abc", "****"},
		{"", ""},
		{"   ", ""},
	}
	for _, tc := range tests {
		if got := Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Whatever the input, Mask hides at least four digits and shows at most seven.
func TestMaskNeverRevealsMoreThanSeven(t *testing.T) {
	for n := 1; n <= 40; n++ {
		in := ""
		for i := range n {
			in += string(rune('0' + (i+1)%10))
		}
		got := Mask(in)
		shown, hidden := 0, 0
		for _, r := range got {
			if r == '*' {
				hidden++
			} else {
				shown++
			}
		}
		if shown > maxShown || hidden < min(4, n) {
			t.Errorf("len %d: Mask = %q shows %d hides %d", n, got, shown, hidden)
		}
	}
}
