// Package listupload applies the operators' suppress/*.csv and
// unsuppress/*.csv uploads to the account's suppression list, for send-sms's
// COS trigger. It is apart from optout because it reads CSVs and says why a
// row is rejected (packages campaign and numplan), which get-scheme, home
// of the reply callback, has no use for.
package listupload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
)

// Uploads applies list uploads to an audience's suppression list.
type Uploads struct {
	aud *audience.Audience
	log *slog.Logger
}

// New returns Uploads over aud; log nil means slog.Default.
func New(aud *audience.Audience, log *slog.Logger) *Uploads {
	if log == nil {
		log = slog.Default()
	}
	return &Uploads{aud: aud, log: log}
}

// Hook applies suppress/ and unsuppress/ uploads of bucket b, for send-sms's
// COS trigger; it reports false for any other key.
func (u *Uploads) Hook(b *blob.Bucket) func(ctx context.Context, key string) (bool, error) {
	return func(ctx context.Context, key string) (bool, error) {
		if !IsKey(key) {
			return false, nil
		}
		_, err := u.Handle(ctx, b, key)
		return true, err
	}
}

// Upload prefixes the send-sms COS trigger also fires on.
const (
	SuppressPrefix   = "suppress/"
	UnsuppressPrefix = "unsuppress/"
)

// IsKey reports whether key is a suppress or unsuppress upload.
func IsKey(key string) bool {
	return strings.HasSuffix(strings.ToLower(key), ".csv") &&
		(strings.HasPrefix(key, SuppressPrefix) || strings.HasPrefix(key, UnsuppressPrefix)) &&
		!strings.Contains(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(key, UnsuppressPrefix), SuppressPrefix), ".csv"), "/")
}

// ReportPrefix is where the report of a list upload goes:
// reports/_lists/suppress/<name>/ (kept apart from campaign names).
func ReportPrefix(key string) string {
	return "reports/_lists/" + strings.TrimSuffix(key, path.Ext(key)) + "/"
}

// Summary is summary.json of a list upload. Rows = Listed + Removed +
// NotListed + Kept + Rejected.
type Summary struct {
	Key      string         `json:"key"`
	Action   string         `json:"action"` // suppress | unsuppress
	Rows     int            `json:"rows"`
	Listed   int            `json:"listed,omitempty"`     // suppress: now on the list
	New      int            `json:"new,omitempty"`        // suppress: of them, not listed before
	Removed  int            `json:"removed,omitempty"`    // unsuppress: taken off
	NotFound int            `json:"not_listed,omitempty"` // unsuppress: were not on it
	Kept     int            `json:"kept_reply_optout,omitempty"`
	Rejected int            `json:"rejected"`
	ByReason map[string]int `json:"by_reason,omitempty"`
	Finished time.Time      `json:"finished"`
}

// Handle applies suppress/<name>.csv or unsuppress/<name>.csv (the
// same CSV rules as campaigns: a header with a phone column, UTF-8 or
// GB18030) and writes reports/_lists/<…>/summary.json and rejects.csv.
// Applying the same upload twice changes nothing the second time.
func (u *Uploads) Handle(ctx context.Context, b *blob.Bucket, key string) (Summary, error) {
	sum := Summary{Key: key, Action: "suppress"}
	if strings.HasPrefix(key, UnsuppressPrefix) {
		sum.Action = "unsuppress"
	}
	rc, err := b.NewReader(ctx, key)
	if err != nil {
		return sum, fmt.Errorf("read %s: %w", key, err)
	}
	defer rc.Close()
	rej := []byte(excelcsv.BOM + "row,phone,state,reason\r\n")
	addRej := func(row int, ph, state, reason string) {
		rej = strconv.AppendInt(rej, int64(row), 10)
		rej = append(rej, ',')
		rej = excelcsv.AppendField(rej, ph)
		rej = append(rej, ',')
		rej = append(rej, state...)
		rej = append(rej, ',')
		rej = excelcsv.AppendField(rej, reason)
		rej = append(rej, '\r', '\n')
	}
	reject := func(row int, ph, reason string) {
		sum.Rejected++
		if sum.ByReason == nil {
			sum.ByReason = map[string]int{}
		}
		sum.ByReason[reason]++
		addRej(row, ph, "rejected", reason)
	}

	rd, err := campaign.NewReader(rc, campaign.Options{})
	if err != nil {
		// A file without a usable header changes nothing; the report says why.
		sum.ByReason = map[string]int{"invalid_csv": 1}
		u.log.Error("optout: list upload unusable", "key", key, "err", err)
		return sum, u.writeReport(ctx, b, key, sum, rej, err.Error())
	}
	var keys []uint64
	unsuppress := sum.Action == "unsuppress"
	rowOf := map[uint64]int{} // unsuppress only: rows of kept numbers
	dups := phone.NewSet(1024)
	for {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sum, fmt.Errorf("read %s: %w", key, err)
		}
		sum.Rows++
		if row.Err != nil {
			reject(row.Index, row.Phone, string(row.Err.Reason))
			continue
		}
		e164, perr := numplan.Normalize(row.Phone)
		if perr != nil {
			reason, _ := campaign.ReasonOf(perr)
			reject(row.Index, row.Phone, string(reason))
			continue
		}
		k, _ := phone.Key(e164)
		if !dups.AddKey(k) {
			reject(row.Index, e164, string(campaign.ReasonDuplicate))
			continue
		}
		keys = append(keys, k)
		if unsuppress {
			rowOf[k] = row.Index
		}
	}
	if !unsuppress {
		n, err := u.aud.List.AddKeys(ctx, keys, audience.SourceUpload, key)
		if err != nil {
			return sum, err
		}
		sum.Listed, sum.New = len(keys), n
	} else {
		removed, kept, err := u.aud.List.Remove(ctx, keys)
		if err != nil {
			return sum, err
		}
		sum.Removed, sum.Kept = len(removed), len(kept)
		sum.NotFound = len(keys) - len(removed) - len(kept)
		for _, e := range kept {
			addRej(rowOf[e.Key], phone.E164(e.Key), "kept_reply_optout", "号码本人回复了退订，不能由运营移出名单")
		}
	}
	u.log.Info("optout: list upload applied", "key", key, "action", sum.Action, "rows", sum.Rows,
		"listed", sum.Listed, "new", sum.New, "removed", sum.Removed, "kept", sum.Kept, "rejected", sum.Rejected)
	return sum, u.writeReport(ctx, b, key, sum, rej, "")
}

func (u *Uploads) writeReport(ctx context.Context, b *blob.Bucket, key string, sum Summary, rej []byte, fatal string) error {
	sum.Finished = time.Now().UTC()
	out := struct {
		Summary
		Error string `json:"error,omitempty"`
	}{sum, fatal}
	j, _ := json.MarshalIndent(out, "", "  ")
	prefix := ReportPrefix(key)
	if err := b.WriteAll(ctx, prefix+"summary.json", j, blob.WriterOptions{ContentType: "application/json"}); err != nil {
		return fmt.Errorf("write list report: %w", err)
	}
	if err := b.WriteAll(ctx, prefix+"rejects.csv", rej, blob.WriterOptions{ContentType: "text/csv; charset=utf-8"}); err != nil {
		return fmt.Errorf("write list report: %w", err)
	}
	return nil
}
