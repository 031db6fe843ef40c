package campaign

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// DefaultMaxRowBytes is the longest row Reader accepts by default; a phone
// number with a few personalisation columns is far shorter.
const DefaultMaxRowBytes = 4 << 10

// ErrBadCheckpoint: NewReaderAt got a checkpoint no Reader could have made.
var ErrBadCheckpoint = errors.New("invalid CSV checkpoint")

// Options tune a Reader. The zero value is ready to use.
type Options struct {
	// MaxRowBytes is the longest row, in bytes of the file. Default 4 KiB.
	MaxRowBytes int
	// PhoneColumn names the phone column; empty means PhoneColumnNames.
	PhoneColumn string
	// Encoding forces an encoding; empty means detect.
	Encoding Encoding
}

// Row is one data row. A row the reader could not use has Err set; it still
// counts (Index) so the report has one line per input row.
type Row struct {
	// Line is the 1-based physical line where the row starts.
	Line int
	// Index is the 1-based number of the data row, header and blank lines not counted.
	Index int
	// End is the byte offset just after the row in the original file.
	End int64
	// Fields are the values in header order (nil when Err is bad_quote or row_too_long).
	Fields []string
	// Phone is the raw phone value, "" if the row has none.
	Phone string
	// Header describes the columns.
	Header *Header
	// Err is row_too_long, bad_quote or bad_field_count, or nil.
	Err *RowError
}

// Get returns the value of a column by name.
func (r Row) Get(name string) (string, bool) {
	if r.Header == nil {
		return "", false
	}
	i, ok := r.Header.Index(name)
	if !ok || i >= len(r.Fields) {
		return "", false
	}
	return r.Fields[i], true
}

// Checkpoint is where a Reader stands, to resume after a crash or timeout.
// It is small and JSON-friendly; store it with the job.
type Checkpoint struct {
	// Offset in the original file just after the last row returned.
	Offset int64 `json:"offset"`
	// Line is the number of physical lines before Offset.
	Line int `json:"line"`
	// Index is the number of data rows before Offset.
	Index int `json:"index"`
	// Header holds the column names.
	Header []string `json:"header"`
	// Encoding as detected so far ("" while only ASCII was seen).
	Encoding Encoding `json:"encoding,omitempty"`
}

// Reader streams a CSV of recipients: memory stays flat whatever the file
// size. It is not safe for concurrent use.
type Reader struct {
	sc      *scanner
	header  *Header
	index   int
	forced  bool
	dec     *encoding.Decoder
	decoded []byte
	scratch []byte
	ends    []int
}

// NewReader reads the header row of a CSV: UTF-8 (with or without BOM) or
// GB18030, detected from the content; CRLF or LF; quoted fields may hold
// commas, quotes and newlines. Blank lines are skipped. The header must name
// a phone column (see PhoneColumnNames). Errors match ErrNoHeader or ErrBadHeader,
// or are read errors.
func NewReader(src io.Reader, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	r := &Reader{sc: newScanner(src, 0, 0, opts.MaxRowBytes, opts.Encoding), forced: opts.Encoding != ""}
	r.sc.skipBOM()
	if r.forced {
		r.sc.enc = opts.Encoding
	}
	for {
		rec, err := r.sc.next()
		if err == io.EOF {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, err
		}
		if rec.reject != "" {
			return nil, fmt.Errorf("%w: line %d: %s (%s)", ErrBadHeader, rec.line, rec.reject, rec.detail)
		}
		fields := r.split(rec.data)
		if blank(fields) {
			continue
		}
		h, err := NewHeader(fields, opts.PhoneColumn)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", rec.line, err)
		}
		r.header = h
		return r, nil
	}
}

// NewReaderAt continues reading at a checkpoint. src must deliver the file
// from cp.Offset on, e.g. a ranged GET "bytes=<offset>-"; the rows returned
// are exactly those a full read returns after that point.
func NewReaderAt(src io.Reader, cp Checkpoint, opts Options) (*Reader, error) {
	if cp.Offset <= 0 || cp.Line < 0 || cp.Index < 0 || cp.Index > cp.Line || len(cp.Header) == 0 {
		return nil, fmt.Errorf("%w: offset %d, line %d, index %d, %d columns", ErrBadCheckpoint, cp.Offset, cp.Line, cp.Index, len(cp.Header))
	}
	switch cp.Encoding {
	case EncodingUndecided, UTF8, GB18030:
	default:
		return nil, fmt.Errorf("%w: unknown encoding %q", ErrBadCheckpoint, cp.Encoding)
	}
	opts = opts.withDefaults()
	h, err := NewHeader(cp.Header, opts.PhoneColumn)
	if err != nil {
		return nil, err
	}
	enc := cp.Encoding
	if opts.Encoding != "" {
		enc = opts.Encoding
	}
	return &Reader{
		sc:     newScanner(src, cp.Offset, cp.Line, opts.MaxRowBytes, enc),
		header: h,
		index:  cp.Index,
		forced: opts.Encoding != "",
	}, nil
}

func (o Options) withDefaults() Options {
	if o.MaxRowBytes <= 0 {
		o.MaxRowBytes = DefaultMaxRowBytes
	}
	return o
}

// Header describes the columns.
func (r *Reader) Header() *Header { return r.header }

// Encoding is the file's encoding as detected so far.
func (r *Reader) Encoding() Encoding { return r.sc.enc }

// Checkpoint is the position after the last row Read returned.
func (r *Reader) Checkpoint() Checkpoint {
	return Checkpoint{
		Offset:   r.sc.off,
		Line:     r.sc.line,
		Index:    r.index,
		Header:   r.header.Names(),
		Encoding: r.sc.enc,
	}
}

// Position is Checkpoint's Offset and Line without copying the header: what
// a caller needs per row.
func (r *Reader) Position() (offset int64, line int) { return r.sc.off, r.sc.line }

// Read returns the next row, or io.EOF after the last. A row that cannot be
// used has Row.Err set and reading goes on; an error return is a read error
// of the underlying stream.
func (r *Reader) Read() (Row, error) {
	for {
		rec, err := r.sc.next()
		if err != nil {
			return Row{}, err
		}
		if rec.reject != "" {
			r.index++
			return Row{Line: rec.line, Index: r.index, End: r.sc.off, Header: r.header,
				Err: reject(rec.reject, rec.detail)}, nil
		}
		fields := r.split(rec.data)
		if blank(fields) {
			continue
		}
		r.index++
		row := Row{Line: rec.line, Index: r.index, End: r.sc.off, Header: r.header}
		// Excel writes trailing commas for cells that once held something.
		for len(fields) > r.header.Len() && strings.TrimSpace(fields[len(fields)-1]) == "" {
			fields = fields[:len(fields)-1]
		}
		row.Fields = fields
		if p := r.header.PhoneIndex(); p < len(fields) {
			row.Phone = fields[p]
		}
		if len(fields) != r.header.Len() {
			row.Err = reject(ReasonBadFieldCount, fmt.Sprintf("%d fields, the header has %d", len(fields), r.header.Len()))
		}
		return row, nil
	}
}

// split decodes a record to UTF-8 and cuts it into fields.
func (r *Reader) split(data []byte) []string {
	var fields []string
	fields, r.scratch, r.ends = splitFields(r.decode(data), r.scratch, r.ends)
	return fields
}

func (r *Reader) decode(data []byte) []byte {
	if r.sc.enc == GB18030 {
		if r.dec == nil {
			r.dec = simplifiedchinese.GB18030.NewDecoder()
		}
		// Invalid bytes become U+FFFD (3 bytes), so 3× is always enough.
		if need := 3*len(data) + utf8.UTFMax; cap(r.decoded) < need {
			r.decoded = make([]byte, need)
		}
		r.dec.Reset()
		n, _, err := r.dec.Transform(r.decoded[:cap(r.decoded)], data, true)
		if err == nil {
			return r.decoded[:n]
		}
		// Not reachable with a large enough buffer; keep the bytes visible anyway.
		return toValidUTF8(data)
	}
	if utf8.Valid(data) {
		return data
	}
	return toValidUTF8(data)
}

func toValidUTF8(b []byte) []byte {
	return []byte(strings.ToValidUTF8(string(b), "\ufffd"))
}

// blank reports a row with no content: an empty line, or only separators
// and spaces (Excel's ghost rows ",,,").
func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimFunc(f, isBlankRune) != "" {
			return false
		}
	}
	return true
}
