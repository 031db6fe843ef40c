package check

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/smsjump/smsjump/shared/campaign"
)

// WriteTable prints the summary for a terminal: the totals, then one line
// per rejection reason with its Chinese explanation, then the cost estimate.
func WriteTable(w io.Writer, s *Summary) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(label string, v any, note string) {
		fmt.Fprintf(tw, "%s\t%v\t  %s\n", label, v, note)
	}
	line("rows", s.Rows, s.File)
	line("valid", s.Valid, "would be sent")
	line("rejected", s.Rejected, "")
	for _, r := range reasonsInOrder(s.ByReason) {
		line("  "+string(r), s.ByReason[r], r.Description())
	}
	line("duplicates", s.Duplicates, "(included in rejected)")
	for _, n := range sortedKeys(s.BySegments) {
		line(fmt.Sprintf("  %d-segment SMS", n), s.BySegments[n], "")
	}
	line("segments", s.Segments, "billed messages")
	line("estimated cost", fmt.Sprintf("¥%.2f", s.EstimatedCost), fmt.Sprintf("at ¥%.3f per segment (--price)", s.PricePerSegment))
	line("checked in", s.Duration.Round(1e6), fmt.Sprintf("%.1f MB", float64(s.Bytes)/1e6))
	return tw.Flush()
}

// reasonsInOrder lists the reasons present, in report order, then any code
// the campaign package does not list (a future reason still shows).
func reasonsInOrder(m map[campaign.Reason]int) []campaign.Reason {
	var out []campaign.Reason
	known := map[campaign.Reason]bool{}
	for _, r := range campaign.Reasons() {
		known[r] = true
		if m[r] > 0 {
			out = append(out, r)
		}
	}
	var extra []campaign.Reason
	for r, n := range m {
		if !known[r] && n > 0 {
			extra = append(extra, r)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
