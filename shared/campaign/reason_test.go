package campaign

import (
	"errors"
	"fmt"
	"testing"

	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
)

func TestReasonsDescribed(t *testing.T) {
	seen := map[Reason]bool{}
	for _, r := range Reasons() {
		if seen[r] {
			t.Errorf("%s listed twice", r)
		}
		seen[r] = true
		if d := r.Description(); d == "" || d == string(r) {
			t.Errorf("%s has no Chinese description", r)
		}
		if r.Fix() == "" {
			t.Errorf("%s has no fix hint", r)
		}
	}
	if len(seen) != len(reasonText) || len(seen) != len(reasonFix) {
		t.Errorf("Reasons() has %d codes, descriptions cover %d", len(seen), len(reasonText))
	}
	// Every phone reason is a campaign reason, so the report needs one legend.
	for _, pr := range phone.Reasons() {
		if !seen[Reason(pr)] {
			t.Errorf("phone reason %s missing from Reasons()", pr)
		}
	}
}

func TestReasonOf(t *testing.T) {
	_, perr := numplan.Normalize("010-12345678")
	tests := []struct {
		err  error
		want Reason
		ok   bool
	}{
		{reject(ReasonTooLong, "x"), ReasonTooLong, true},
		{fmt.Errorf("row 3: %w", reject(ReasonMissingColumn, "")), ReasonMissingColumn, true},
		{perr, ReasonNotMobile, true},
		{ReasonDuplicate, ReasonDuplicate, true},
		{errors.New("io"), "", false},
		{nil, "", false},
	}
	for _, tc := range tests {
		got, ok := ReasonOf(tc.err)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ReasonOf(%v) = %q, %v; want %q, %v", tc.err, got, ok, tc.want, tc.ok)
		}
	}
	if !errors.Is(reject(ReasonBadQuote, "x"), ReasonBadQuote) {
		t.Error("errors.Is does not see the reason")
	}
}
