package numplan

import (
	"errors"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/phone"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		reason phone.Reason
		region string
	}{
		{name: "plain", in: "13800138000", want: "+8613800138000"},
		{name: "e164", in: "+8613800138000", want: "+8613800138000"},
		{name: "plus86 dashed", in: "+86 138-0013-8000", want: "+8613800138000"},
		{name: "0086", in: "0086 138 0013 8000", want: "+8613800138000"},
		{name: "86 prefix", in: "8613800138000", want: "+8613800138000"},
		{name: "dots", in: "138.0013.8000", want: "+8613800138000"},
		{name: "brackets", in: "(+86) 138 0013 8000", want: "+8613800138000"},
		{name: "full-width digits", in: "１３８００１３８０００", want: "+8613800138000"},
		{name: "full-width plus and dash", in: "＋８６－１３８００１３８０００", want: "+8613800138000"},
		{name: "surrounding space tab nbsp", in: "\t 13800138000\u00a0\u3000", want: "+8613800138000"},
		{name: "zero-width and bom", in: "\ufeff138\u200b00138000", want: "+8613800138000"},
		{name: "199 prefix", in: "19912345678", want: "+8619912345678"},
		{name: "1740 satellite ok", in: "17400123456", want: "+8617400123456"},
		{name: "empty", in: "", reason: phone.ReasonEmpty},
		{name: "blank", in: "  \t ", reason: phone.ReasonEmpty},
		{name: "letters", in: "138ABCDEFGH", reason: phone.ReasonInvalid},
		{name: "letter o for zero", in: "1380013800O", reason: phone.ReasonInvalid},
		{name: "short", in: "12345", reason: phone.ReasonInvalid},
		{name: "ten digits", in: "1380013800", reason: phone.ReasonInvalid},
		{name: "twelve digits", in: "138001380001", reason: phone.ReasonInvalid},
		{name: "unassigned 140", in: "14012345678", reason: phone.ReasonInvalid},
		{name: "unassigned 1749", in: "17490123456", reason: phone.ReasonInvalid},
		{name: "plus in the middle", in: "138+00138000", reason: phone.ReasonInvalid},
		{name: "only plus", in: "+", reason: phone.ReasonInvalid},
		{name: "two numbers", in: "13800138000/13900139000", reason: phone.ReasonInvalid},
		{name: "extension word", in: "13800138000 ext 12", reason: phone.ReasonInvalid},
		{name: "excel scientific", in: "1.38001E+10", reason: phone.ReasonScientific},
		{name: "excel scientific lower case", in: " 1.38e+10 ", reason: phone.ReasonScientific},
		{name: "excel scientific no fraction", in: "1E+10", reason: phone.ReasonScientific},
		{name: "excel float", in: "13800138000.0", want: "+8613800138000"},
		{name: "excel float two zeros", in: "13800138000.00", want: "+8613800138000"},
		{name: "excel float with +86", in: "+8613800138000.0", want: "+8613800138000"},
		{name: "excel float short", in: "1380013800.0", reason: phone.ReasonInvalid},
		{name: "decimal not zero", in: "13800138000.5", reason: phone.ReasonInvalid},
		{name: "letter e alone", in: "138e", reason: phone.ReasonInvalid},
		{name: "arabic-indic digits", in: "١٣٨٠٠١٣٨٠٠٠", reason: phone.ReasonInvalid},
		{name: "very long", in: strings.Repeat("1", 40), reason: phone.ReasonInvalid},
		{name: "beijing fixed line", in: "010-12345678", reason: phone.ReasonNotMobile},
		{name: "shanghai fixed line", in: "021 6123 4567", reason: phone.ReasonNotMobile},
		{name: "toll free 400", in: "4001234567", reason: phone.ReasonNotMobile},
		{name: "hong kong", in: "+852 9123 4567", reason: phone.ReasonNotMainland, region: "HK"},
		{name: "macao", in: "00853 6612 3456", reason: phone.ReasonNotMainland, region: "MO"},
		{name: "taiwan", in: "+886 912 345 678", reason: phone.ReasonNotMainland, region: "TW"},
		{name: "united states", in: "+1 650 253 0000", reason: phone.ReasonNotMainland, region: "US"},
		// phonenumbers reads 1795100 as a carrier's international prefix (IDD).
		{name: "carrier idd prefix", in: "17951001716", reason: phone.ReasonNotMainland, region: "US"},
		{name: "invalid country code", in: "+999 1234 5678", reason: phone.ReasonInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalize(tc.in)
			if tc.reason == "" {
				if err != nil || got != tc.want {
					t.Fatalf("Normalize(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want reason %s", tc.in, got, tc.reason)
			}
			if !errors.Is(err, tc.reason) {
				t.Fatalf("Normalize(%q) error %v, want reason %s", tc.in, err, tc.reason)
			}
			var pe *phone.Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not *phone.Error", err)
			}
			if pe.Region != tc.region {
				t.Errorf("region = %q, want %q", pe.Region, tc.region)
			}
			if got != "" {
				t.Errorf("got %q alongside an error", got)
			}
		})
	}
}

// The error text goes to logs: it must never carry the whole number.
func TestNormalizeErrorDoesNotLeakNumber(t *testing.T) {
	for _, in := range []string{"14012345678", "010-12345678", "+852 9123 4567", "138001380001", "1380013800O"} {
		_, err := Normalize(in)
		if err == nil {
			t.Fatalf("Normalize(%q) accepted", in)
		}
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, in)
		if strings.Contains(err.Error(), digits) {
			t.Errorf("error %q reveals %q", err, in)
		}
	}
}
