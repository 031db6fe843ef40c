package followup

import (
	"context"
	"encoding/json"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
)

// StatsKey keeps the account-wide receipt counts that belong to no job:
// receipts whose SerialNo no job claimed (sent by another system on the
// same SMS app, or for a job outside the window).
const StatsKey = "receipts/stats.json"

// InboxStats is StatsKey.
type InboxStats struct {
	Unknown int       `json:"unknown"`
	Updated time.Time `json:"updated"`
}

// addUnknown adds n to the unknown count. Only the lease holder writes it,
// so read-modify-write is safe.
func addUnknown(ctx context.Context, b *blob.Bucket, n int, now time.Time) error {
	var s InboxStats
	if _, err := readJSON(ctx, b, StatsKey, &s); err != nil {
		return err
	}
	s.Unknown += n
	s.Updated = now
	data, _ := json.MarshalIndent(s, "", "  ")
	return b.WriteAll(ctx, StatsKey, data, blob.WriterOptions{ContentType: "application/json"})
}
