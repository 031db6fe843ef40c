package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
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
	// Progress is called with the bytes consumed so far, every few thousand
	// rows and at the end; nil for none.
	Progress func(bytes int64)
	// SizeHint is the expected number of rows, to size the duplicate set.
	SizeHint int
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
	s := &Summary{
		File:            opt.File,
		CampaignID:      m.CampaignID,
		ByReason:        map[campaign.Reason]int{},
		BySegments:      map[int]int{},
		PricePerSegment: price,
	}
	seen := phone.NewSet(max(opt.SizeHint, 1024))
	for {
		row, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("check: read %s: %w", opt.File, err)
		}
		s.Rows++
		rr := judge(row, rn, seen, s)
		if rw != nil {
			if err := rw.write(rr); err != nil {
				return nil, fmt.Errorf("check: write report: %w", err)
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
	if opt.Progress != nil {
		opt.Progress(cr.n)
	}
	s.Encoding = string(rd.Encoding())
	s.Bytes = cr.n
	s.EstimatedCost = math.Round(float64(s.Segments)*price*100) / 100
	s.Duration = time.Since(start)
	s.DurationMS = s.Duration.Milliseconds()
	return s, nil
}

// judge decides one row the way the job would, in the job's order: the
// reader's verdict, the phone number, duplicates, then rendering.
func judge(row campaign.Row, rn *campaign.Renderer, seen *phone.Set, s *Summary) reportRow {
	rr := reportRow{index: row.Index, line: row.Line, state: StateRejected}
	if row.Err != nil {
		return rejectRow(rr, s, row.Err.Reason, row.Err.Detail)
	}
	e164, err := phone.Normalize(row.Phone)
	if err != nil {
		rr.phone = phone.Mask(row.Phone)
		reason, _ := campaign.ReasonOf(err)
		return rejectRow(rr, s, reason, "")
	}
	rr.phone = e164
	k, _ := phone.Key(e164)
	if !seen.AddKey(k) {
		return rejectRow(rr, s, campaign.ReasonDuplicate, "")
	}
	out, err := rn.Render(row, placeholderCode)
	if err != nil {
		reason, ok := campaign.ReasonOf(err)
		if !ok {
			reason = "render_error"
		}
		detail := ""
		var re *campaign.RowError
		if errors.As(err, &re) {
			detail = re.Detail
		}
		return rejectRow(rr, s, reason, detail)
	}
	s.Valid++
	s.Segments += out.Segments
	s.BySegments[out.Segments]++
	rr.state, rr.length, rr.segments = StateWouldSend, out.Length, out.Segments
	return rr
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
