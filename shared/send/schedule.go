package send

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
)

// beijingTZ shows start_at as the operator wrote it; China has no DST.
var beijingTZ = time.FixedZone("CST", 8*3600)

// Precheck is reports/<name>/<job>/precheck.json of a scheduled job: the
// list checked at upload, so the operator can fix it before start_at.
type Precheck struct {
	JobID    string         `json:"job_id"`
	StartAt  string         `json:"start_at"` // RFC 3339, Beijing time
	Rows     int            `json:"rows"`
	Valid    int            `json:"valid"`    // would be sent, as the lists stand now
	Rejected int            `json:"rejected"` // listed in rejects.csv
	ByReason map[string]int `json:"by_reason,omitempty"`
	// OptedOut and Capped would be left out if the job started now; the
	// lists may change before start_at.
	OptedOut int    `json:"opted_out_now"`
	Capped   int    `json:"frequency_capped_now"`
	Error    string `json:"error,omitempty"` // the CSV cannot be read at all
	Checked  string `json:"checked"`
}

// startsLater reports whether a new (or still scheduled) job waits for its
// manifest's start_at. An invalid manifest never waits: the job fails now,
// where the operator sees it.
func (r *run) startsLater(ctx context.Context, now time.Time) (campaign.Manifest, bool, error) {
	m, err := r.s.loadManifest(ctx, r.u)
	// The run goes on with this read if the job does not wait.
	r.loaded = &loadedManifest{m, err}
	if err != nil {
		if errors.Is(err, campaign.ErrInvalidManifest) {
			return m, false, nil
		}
		return m, false, err
	}
	if m.StartAt.IsZero() || !now.Before(m.StartAt.Time) || m.DryRun || m.Validate() != nil {
		return m, false, nil
	}
	return m, true, nil
}

// schedule parks the job until start_at. The first time, it checks every
// row as the send would and writes precheck.json and rejects.csv at once.
func (r *run) schedule(ctx context.Context, m campaign.Manifest, now time.Time) (Status, error) {
	ctx = context.WithoutCancel(ctx)
	at := m.StartAt.Time
	if r.st.Status == "" {
		if err := r.st.moveTo(StatusScheduled); err != nil {
			return StatusRunning, err
		}
		r.st.Campaign = m.CampaignID
		if err := r.precheck(ctx, m, now); err != nil {
			return StatusRunning, err // the bucket failed: the retry checks again
		}
	}
	r.st.NextAttempt = at
	r.st.Updated = now
	if err := r.persist(ctx); err != nil {
		return StatusRunning, err
	}
	if err := r.s.putIndex(ctx, r.st); err != nil {
		return StatusScheduled, err
	}
	if err := r.s.writeSummary(ctx, r.st, now); err != nil {
		return StatusScheduled, err
	}
	r.log.Info("send-sms: scheduled; the timer starts it at start_at", "campaign", m.CampaignID, "start_at", at)
	return StatusScheduled, nil
}

// precheck reads the whole list once: rows the send would reject go to
// rejects.csv with their reason; numbers the audience would leave out now
// are counted.
func (r *run) precheck(ctx context.Context, m campaign.Manifest, now time.Time) error {
	r.m = m
	pc := Precheck{JobID: r.jobID, StartAt: m.StartAt.In(beijingTZ).Format(time.RFC3339), Checked: now.Format(time.RFC3339)}
	rej := []byte(excelcsv.BOM + "row,phone,reason,detail\r\n")
	reject := func(row int, ph, reason, detail string) {
		pc.Rejected++
		if pc.ByReason == nil {
			pc.ByReason = map[string]int{}
		}
		pc.ByReason[reason]++
		rej = strconv.AppendInt(rej, int64(row), 10)
		rej = append(rej, ',')
		rej = excelcsv.AppendField(rej, ph)
		rej = append(rej, ',')
		rej = excelcsv.AppendField(rej, reason)
		rej = append(rej, ',')
		rej = excelcsv.AppendField(rej, detail)
		rej = append(rej, '\r', '\n')
	}
	var gate *audience.JobGate
	if r.s.o.Audience != nil {
		g, err := r.s.o.Audience.Begin(ctx, audience.Job{ID: r.jobID, Campaign: m.CampaignID,
			Marketing: m.Type == campaign.Marketing, RespectOptOuts: m.RespectOptOuts, DryRun: true})
		if err != nil {
			return fmt.Errorf("load suppression list and caps: %w", err)
		}
		gate = g
	}
	err := r.eachRow(ctx, func(rd *campaign.Reader, rend *campaign.Renderer, placeholder string) error {
		dups := phone.NewSet(int(min(r.size/16, 20_000_000)))
		for {
			row, err := rd.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read CSV: %w", err)
			}
			pc.Rows++
			if row.Err != nil {
				reject(row.Index, row.Phone, string(row.Err.Reason), row.Err.Detail)
				continue
			}
			e164, perr := numplan.Normalize(row.Phone)
			if perr != nil {
				reason, _ := campaign.ReasonOf(perr)
				reject(row.Index, row.Phone, string(reason), "")
				continue
			}
			if !dups.Add(e164) {
				reject(row.Index, e164, string(campaign.ReasonDuplicate), "")
				continue
			}
			if _, rerr := rend.Render(row, placeholder); rerr != nil {
				reason, ok := campaign.ReasonOf(rerr)
				if !ok {
					return rerr
				}
				reject(row.Index, e164, string(reason), campaign.DetailOf(rerr))
				continue
			}
			switch gate.Check(e164) {
			case audience.OptedOut:
				pc.OptedOut++
			case audience.Capped:
				pc.Capped++
			default:
				pc.Valid++
			}
		}
	})
	var bad badCSVError
	switch {
	case errors.As(err, &bad):
		pc.Error = bad.Error()
	case err != nil:
		return err
	}
	// rejects.csv first: precheck.json is what says the check is done, so
	// whoever finds it finds this check's rejects, not none or the last
	// upload's.
	opts := blob.WriterOptions{ContentType: "text/csv; charset=utf-8"}
	for _, key := range []string{r.prefix + "rejects.csv", r.u.ReportPrefix() + "rejects.csv"} {
		if err := r.s.o.Bucket.WriteAll(ctx, key, rej, opts); err != nil {
			return fmt.Errorf("write %s: %w", key, err)
		}
	}
	b, _ := json.MarshalIndent(pc, "", "  ")
	if err := r.s.writeReportFile(ctx, r.st, "precheck.json", b, now); err != nil {
		return err
	}
	r.log.Info("send-sms: list checked ahead of start_at", "rows", pc.Rows, "valid", pc.Valid,
		"rejected", pc.Rejected, "opted_out_now", pc.OptedOut, "capped_now", pc.Capped)
	return nil
}

// loadedManifest is a manifest read once per run.
type loadedManifest struct {
	m   campaign.Manifest
	err error
}

// manifest returns the manifest read by startsLater, or reads it.
func (r *run) manifest(ctx context.Context) (campaign.Manifest, error) {
	if l := r.loaded; l != nil {
		return l.m, l.err
	}
	return r.s.loadManifest(ctx, r.u)
}

// eachRow opens the CSV from the start with the manifest's renderer.
func (r *run) eachRow(ctx context.Context, fn func(*campaign.Reader, *campaign.Renderer, string) error) error {
	src, err := r.s.o.Bucket.NewReader(ctx, r.u.Key)
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer src.Close()
	rd, err := campaign.NewReader(src, campaign.Options{PhoneColumn: r.m.PhoneColumn})
	if err != nil {
		// Ahead of start_at every header problem is the operator's to fix:
		// report it; the start itself retries a read that failed.
		return badCSVError{err}
	}
	rend, err := campaign.NewRenderer(r.m, rd.Header())
	if err != nil {
		return badCSVError{err}
	}
	placeholder := make([]byte, r.s.o.CodeLength)
	for i := range placeholder {
		placeholder[i] = 'x'
	}
	return fn(rd, rend, string(placeholder))
}
