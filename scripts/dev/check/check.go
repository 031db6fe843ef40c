package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
	"github.com/smsjump/smsjump/shared/sms"
)

// DefaultPricePerSegment is a rough list price of one domestic SMS in CNY;
// packages are cheaper, so the estimate errs high. Pass your own price.
const DefaultPricePerSegment = 0.045

// placeholderCode stands in for a personal link code: the job draws a random
// one per recipient, and only its length matters for message length.
const placeholderCode = "Ab3De9Gh"

// ErrInput is a file the pipeline cannot start on: no header, no phone
// column, or a manifest that does not fit the CSV.
var ErrInput = errors.New("check: unusable input")

// Options configure Run.
type Options struct {
	// Manifest is the campaign, with defaults applied (campaign.ParseManifest
	// or campaign.DefaultManifest).
	Manifest campaign.Manifest
	// File names the input in the summary.
	File string
	// PricePerSegment in CNY; 0 means DefaultPricePerSegment.
	PricePerSegment float64
	// Report receives the would-be result.csv; nil writes none.
	Report io.Writer
	// Rejects receives rejects.csv: only the rejected rows, with their
	// original cells, the reason and the fix in Chinese, so the operator can
	// mend that file and check it again. nil writes none.
	Rejects io.Writer
	// QPS is the SendSms request rate the job will run at (SMS_QPS, or the
	// manifest's qps when lower), for the duration estimate; 0 means the
	// manifest's or campaign.DefaultQPS.
	QPS int
	// Progress is called with the bytes consumed so far, every few thousand
	// rows and at the end; nil for none.
	Progress func(bytes int64)
	// SizeHint is the expected number of rows, to size the duplicate set.
	SizeHint int
	// Audience, if set, says which numbers the job would leave out as the
	// account's suppression list and frequency cap stand now
	// (audience.JobGate); nil checks neither.
	Audience interface {
		Check(e164 string) audience.Verdict
	}
}

// progressEvery rows between Progress calls: often enough for a smooth bar,
// rare enough to cost nothing.
const progressEvery = 4096

// Run reads src to the end and returns the summary. Memory stays flat in the
// file size apart from the duplicate set (8–16 bytes per distinct number).
func Run(ctx context.Context, src io.Reader, opt Options) (*Summary, error) {
	start := time.Now()
	price := opt.PricePerSegment
	if price == 0 {
		price = DefaultPricePerSegment
	}
	cr := &countingReader{r: src}
	m := opt.Manifest
	rd, err := campaign.NewReader(cr, campaign.Options{PhoneColumn: m.PhoneColumn})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, opt.File, err)
	}
	rn, err := campaign.NewRenderer(m, rd.Header())
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, opt.File, err)
	}
	var rw *reportWriter
	if opt.Report != nil {
		if rw, err = newReportWriter(opt.Report); err != nil {
			return nil, fmt.Errorf("check: write report: %w", err)
		}
	}
	var rj *rejectsWriter
	if opt.Rejects != nil {
		if rj, err = newRejectsWriter(opt.Rejects, rd.Header().Names()); err != nil {
			return nil, fmt.Errorf("check: write rejects: %w", err)
		}
	}
	s := &Summary{
		File:            opt.File,
		CampaignID:      m.CampaignID,
		ByReason:        map[campaign.Reason]int{},
		BySegments:      map[int]int{},
		PricePerSegment: price,
		AudienceChecked: opt.Audience != nil,
	}
	j := &judge{
		rn:       rn,
		s:        s,
		seen:     newKeyTable(max(opt.SizeHint, 1024)),
		groups:   newKeyTable(1024),
		personal: m.LinkMode == campaign.LinkPersonal,
		aud:      opt.Audience,
	}
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("check: read %s: %w", opt.File, err)
		}
		s.Rows++
		rr := j.row(row)
		if rw != nil {
			if err := rw.write(rr); err != nil {
				return nil, fmt.Errorf("check: write report: %w", err)
			}
		}
		if rj != nil && rr.state == StateRejected {
			if err := rj.write(row, rr); err != nil {
				return nil, fmt.Errorf("check: write rejects: %w", err)
			}
		}
		if s.Rows%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if opt.Progress != nil {
				opt.Progress(cr.n)
			}
		}
	}
	if rw != nil {
		if err := rw.flush(); err != nil {
			return nil, fmt.Errorf("check: write report: %w", err)
		}
	}
	if rj != nil {
		if err := rj.flush(); err != nil {
			return nil, fmt.Errorf("check: write rejects: %w", err)
		}
	}
	if opt.Progress != nil {
		opt.Progress(cr.n)
	}
	s.Encoding = string(rd.Encoding())
	s.Bytes = cr.n
	s.EstimatedCost = math.Round(float64(s.Segments)*price*100) / 100
	s.estimateSend(qpsFor(m, opt.QPS))
	s.Duration = time.Since(start)
	s.DurationMS = s.Duration.Milliseconds()
	return s, nil
}

// judge decides rows the way the job would, in the job's order: the
// reader's verdict, the phone number, duplicates, then rendering. It also
// counts the SendSms calls the valid rows make.
type judge struct {
	rn       *campaign.Renderer
	s        *Summary
	seen     *keyTable // phone key → line of its first row
	groups   *keyTable // parameter hash → rows sharing them
	personal bool      // every row is a call of its own
	aud      interface{ Check(string) audience.Verdict }
}

func (j *judge) row(row campaign.Row) reportRow {
	s := j.s
	rr := reportRow{index: row.Index, line: row.Line, state: StateRejected}
	if row.Err != nil {
		return rejectRow(rr, s, row.Err.Reason, row.Err.Detail)
	}
	e164, err := numplan.Normalize(row.Phone)
	if err != nil {
		rr.phone = phone.Mask(row.Phone)
		reason, _ := campaign.ReasonOf(err)
		return rejectRow(rr, s, reason, "")
	}
	rr.phone = e164
	k, _ := phone.Key(e164)
	if i, added := j.seen.slot(k, uint32(row.Line)); !added {
		return rejectRow(rr, s, campaign.ReasonDuplicate, fmt.Sprintf("与第 %d 行重复", j.seen.vals[i]))
	}
	if j.aud != nil {
		// As the job does: after duplicates, before rendering; not a fault
		// of the row, so not in rejects.csv.
		switch v := j.aud.Check(e164); v {
		case audience.OptedOut, audience.Capped:
			if v == audience.OptedOut {
				s.OptedOut++
			} else {
				s.Capped++
			}
			rr.state, rr.reason = StateNotSent, v.Reason()
			return rr
		}
	}
	out, err := j.rn.Render(row, placeholderCode)
	if err != nil {
		reason, ok := campaign.ReasonOf(err)
		if !ok {
			reason = "render_error"
		}
		return rejectRow(rr, s, reason, campaign.DetailOf(err))
	}
	if phone.ExcelFloat(row.Phone) {
		s.ExcelFloat++
		rr.detail = excelFloatNote
	}
	s.Valid++
	s.Segments += out.Segments
	s.BySegments[out.Segments]++
	j.count(out.Params)
	rr.state, rr.length, rr.segments = StateWouldSend, out.Length, out.Segments
	return rr
}

// paramsHash is FNV-1a over the parameters, each ended by a zero byte,
// without the allocations of hash/fnv.
func paramsHash(params []string) uint64 {
	h := uint64(14695981039346656037)
	for _, p := range params {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
		h *= 1099511628211 // the zero separator
	}
	return h
}

// numbersPerCall is what one SendSms call takes.
const numbersPerCall = sms.MaxPhones

// qpsFor is the rate the job will send at: the lower of the manifest's qps
// and the configured one.
func qpsFor(m campaign.Manifest, configured int) int {
	q := configured
	if q <= 0 {
		q = campaign.DefaultQPS
	}
	if m.QPS > 0 && m.QPS < q {
		q = m.QPS
	}
	return q
}

// excelFloatNote is the report's note on a number exported as 13800138000.0.
const excelFloatNote = "Excel 小数格式（如 13800138000.0），已按整数读取；建议将该列设为文本"

// count adds a valid row to the SendSms calls: the job puts up to
// sms.MaxNumbersPerCall numbers with identical parameters in one call, and
// a personal link makes every row a call of its own.
func (j *judge) count(params []string) {
	if j.personal {
		j.s.Calls++
		return
	}
	k := paramsHash(params) | 1 // 0 marks an empty slot
	i, added := j.groups.slot(k, 1)
	if !added {
		j.groups.vals[i]++
	}
	if (j.groups.vals[i]-1)%numbersPerCall == 0 {
		j.s.Calls++
	}
}

func rejectRow(rr reportRow, s *Summary, reason campaign.Reason, detail string) reportRow {
	s.reject(reason)
	rr.reason = string(reason)
	rr.detail = strings.TrimSpace(detail)
	return rr
}

// countingReader counts the bytes read through it, for the progress bar.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
