package send

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/phone/numplan"
)

// badCSVError: the CSV cannot be read at all (no header, no phone column).
type badCSVError struct{ err error }

func (e badCSVError) Error() string { return e.err.Error() }
func (e badCSVError) Unwrap() error { return e.err }

// loadManifest reads uploads/<name>.json, or takes the defaults when there
// is none. A manifest error matches campaign.ErrInvalidManifest; the
// returned manifest then still has defaults filled in for the report.
func (s *Service) loadManifest(ctx context.Context, u Upload) (campaign.Manifest, error) {
	d := s.o.Defaults
	d.CampaignID = campaign.CampaignIDFromName(u.Name())
	raw, err := s.o.Bucket.ReadAll(ctx, u.ManifestKey())
	if errors.Is(err, blob.ErrNotFound) {
		return campaign.DefaultManifest(d), nil
	}
	if err != nil {
		return campaign.Manifest{}, fmt.Errorf("read manifest %s: %w", u.ManifestKey(), err)
	}
	m, err := campaign.ParseManifest(bytes.NewReader(raw), d)
	if err != nil {
		return campaign.DefaultManifest(d), err
	}
	if m.LinkMode == campaign.LinkPersonal && s.o.Links == nil {
		return m, fmt.Errorf("%w: link_mode personal needs the link registry (STORE_URL)", campaign.ErrInvalidManifest)
	}
	return m, nil
}

// input is an opened CSV: the reader where the checkpoint left it, the
// numbers before that point, the header names and the encoding.
type input struct {
	rd       *campaign.Reader
	dups     *phone.Set
	repeated dupNumbers // the duplicates among those rows
	header   []string
	encoding campaign.Encoding
}

// openReader opens the CSV where the checkpoint left it. On a resume it
// first re-reads the rows before the checkpoint to rebuild the duplicate
// set: only phone normalisation, no rendering, no sending.
func (r *run) openReader(ctx context.Context) (input, error) {
	opts := campaign.Options{PhoneColumn: r.m.PhoneColumn}
	b := r.s.o.Bucket
	cp := r.st.Reader
	// A fresh run sizes the duplicate set once the feed has seen how long
	// rows are (sizeHint); a resume knows it from the checkpoint.
	in := input{dups: phone.NewSet(0)}
	if cp == nil {
		src, err := b.NewReader(ctx, r.u.Key)
		if err != nil {
			return in, fmt.Errorf("open upload: %w", err)
		}
		rd, err := campaign.NewReader(&closeOnEOF{rc: src}, opts)
		if err != nil {
			src.Close()
			return in, headerErr(err)
		}
		in.rd, in.header = rd, rd.Header().Names()
		return in, nil
	}
	in.dups.Reserve(rowsHint(r.size, cp.Offset, cp.Index))
	head, err := b.NewRangeReader(ctx, r.u.Key, 0, cp.Offset)
	if err != nil {
		return in, fmt.Errorf("open upload: %w", err)
	}
	hr, err := campaign.NewReader(head, opts)
	if err != nil {
		head.Close()
		return in, headerErr(err)
	}
	n := 0
	for {
		row, err := hr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			head.Close()
			return in, fmt.Errorf("re-read upload head: %w", err)
		}
		n++
		if row.Err != nil {
			continue
		}
		if e164, err := numplan.Normalize(row.Phone); err == nil && !in.dups.Add(e164) {
			in.repeated.note(e164)
		}
	}
	head.Close()
	if n != cp.Index {
		return in, fmt.Errorf("%w: checkpoint says %d rows before offset %d, the file has %d", ErrBadState, cp.Index, cp.Offset, n)
	}
	in.encoding = hr.Encoding()
	src, err := b.NewRangeReader(ctx, r.u.Key, cp.Offset, -1)
	if err != nil {
		return in, fmt.Errorf("open upload at %d: %w", cp.Offset, err)
	}
	rd, err := campaign.NewReaderAt(&closeOnEOF{rc: src}, *cp, opts)
	if err != nil {
		src.Close()
		return in, fmt.Errorf("%w: %w", ErrBadState, err)
	}
	in.rd, in.header = rd, cp.Header
	return in, nil
}

// rowsHint estimates the rows of a file of size bytes from the first rows,
// which took offset bytes: the duplicate set's size. A file from a
// spreadsheet has rows of much the same length; one that does not only costs
// the set some growth.
func rowsHint(size, offset int64, rows int) int {
	if offset <= 0 || rows <= 0 || size <= offset {
		return rows
	}
	return int(min(float64(size)/float64(offset)*float64(rows), maxRowsHint))
}

// maxRowsHint bounds a hint from a file of odd rows (20 M numbers: 107 MB).
const maxRowsHint = 20_000_000

// headerErr marks the file's own problems (no header, no phone column);
// anything else is a read error a retry may fix.
func headerErr(err error) error {
	if errors.Is(err, campaign.ErrNoHeader) || errors.Is(err, campaign.ErrBadHeader) {
		return badCSVError{err}
	}
	return err
}

// closeOnEOF closes the object stream when the reader reaches its end, so a
// long run does not keep a COS connection open after reading.
type closeOnEOF struct {
	rc     io.ReadCloser
	closed bool
}

func (c *closeOnEOF) Read(p []byte) (int, error) {
	if c.closed {
		return 0, io.EOF
	}
	n, err := c.rc.Read(p)
	if err != nil {
		c.rc.Close()
		c.closed = true
	}
	return n, err
}

// putCampaign writes the campaign record get-scheme reads. With per-row
// target queries the record's query stays empty: each personal code holds
// its own (which costs one scheme per distinct query).
func (r *run) putCampaign(ctx context.Context) error {
	if r.s.o.Links == nil {
		return nil
	}
	t := r.m.Target
	q := t.Query
	if bytes.Contains([]byte(q), []byte("{{")) {
		q = ""
	}
	env := t.EnvVersion
	if env == "" {
		env = r.s.o.EnvVersion
	}
	rec := CampaignRecord{ID: r.m.CampaignID, Path: t.Path, Query: q, EnvVersion: env, Start: r.m.Validity.Start, End: r.m.Validity.End, Page: r.m.Page}
	if err := r.s.o.Links.PutCampaign(ctx, rec); err != nil {
		return fmt.Errorf("write campaign %s: %w", r.m.CampaignID, err)
	}
	return nil
}
