package followup

import (
	"context"
	"strconv"
	"strings"

	"github.com/smsjump/smsjump/shared/link"
)

// CodeRows maps personal codes to rows through the link registry: send-sms
// gives every code the cq "r<row>[&…]" (see send.run.newCode).
func CodeRows(reg *link.Registry) func(ctx context.Context, code string) (int, bool) {
	return func(ctx context.Context, code string) (int, bool) {
		c, err := reg.Resolve(ctx, code)
		if err != nil {
			return 0, false
		}
		return RowOfCQ(c.CQ)
	}
}

// RowOfCQ reads the row out of a code's cq, "r12&uid=u12" → 12.
func RowOfCQ(cq string) (int, bool) {
	first, _, _ := strings.Cut(cq, "&")
	n, err := strconv.Atoi(strings.TrimPrefix(first, "r"))
	if !strings.HasPrefix(first, "r") || err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}
