package followup

import (
	"time"

	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/report"
	"github.com/smsjump/smsjump/shared/send"
)

// build assembles funnel.json from the job's summary, its receipt ledger
// and the campaign's counters.
func build(sum send.Summary, jobID string, ledger map[string]receipt.Receipt, snap funnel.Snapshot,
	codeRows map[int]funnel.Counts, rs report.ReceiptStats, now time.Time, settled bool) *report.Funnel {
	fn := &report.Funnel{
		Campaign: sum.Campaign, JobID: jobID, Upload: sum.Upload, Generated: now, Settled: settled,
		Rows: sum.Rows, Sent: sum.Sent, Receipts: rs,
		DeliveryFailures: map[string]int{}, NotSent: map[string]int{}, Events: map[string]int64{},
	}
	for reason, n := range sum.ByReason {
		fn.NotSent[reason] = n
	}
	for _, r := range ledger {
		if r.Delivered {
			fn.Delivered++
			continue
		}
		fn.DeliveryFailed++
		code := r.Code
		if code == "" {
			code = "unknown"
		}
		fn.DeliveryFailures[code]++
	}
	fn.Opened = snap.Totals[funnel.Opened]
	fn.Jumped = snap.Totals.Jumped()
	fn.Arrived = snap.Totals[funnel.Arrived]
	for e, n := range snap.Totals {
		if e != funnel.Opened {
			fn.Events[string(e)] = n
		}
	}
	for _, p := range funnel.AllPlatforms {
		if c := snap.ByPlatform[p]; c != nil {
			fn.Platforms = append(fn.Platforms, report.Platform{Name: string(p), Opened: c[funnel.Opened], Jumped: c.Jumped()})
		}
	}
	for h, c := range snap.ByHour {
		fn.OpensByHour = append(fn.OpensByHour, report.Hour{Start: time.Unix(h, 0), Opened: c[funnel.Opened], Jumped: c.Jumped()})
	}
	for _, c := range codeRows {
		if c[funnel.Opened] > 0 {
			fn.PersonalOpened++
		}
	}
	fn.Fill()
	return fn
}
