package check

import (
	"bufio"
	"io"
	"strconv"

	"github.com/smsjump/smsjump/shared/excelcsv"
)

// States of a report row: what the job would do with it.
const (
	StateWouldSend = "would_send"
	StateRejected  = "rejected"
	StateNotSent   = "not_sent" // opted out or capped: the job would leave it out
)

// reportHeader is the would-be result.csv's header.
var reportHeader = []string{"row", "line", "phone", "state", "reason", "detail", "length", "segments"}

// reportWriter writes result.csv rows with a hand-rolled encoder: encoding/csv
// allocates per record, and a million-row check is mostly this loop.
type reportWriter struct {
	w   *bufio.Writer
	buf []byte
}

func newReportWriter(w io.Writer) (*reportWriter, error) {
	rw := &reportWriter{w: bufio.NewWriterSize(w, 256<<10)}
	if _, err := rw.w.WriteString(excelcsv.BOM); err != nil {
		return nil, err
	}
	b := rw.buf[:0]
	for i, h := range reportHeader {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, h...)
	}
	b = append(b, '\r', '\n')
	_, err := rw.w.Write(b)
	return rw, err
}

type reportRow struct {
	index, line      int
	phone            string // E.164 when valid, else masked
	state            string
	reason, detail   string
	length, segments int
}

func (rw *reportWriter) write(r reportRow) error {
	b := rw.buf[:0]
	b = strconv.AppendInt(b, int64(r.index), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.line), 10)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.phone)
	b = append(b, ',')
	b = append(b, r.state...)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.reason)
	b = append(b, ',')
	b = excelcsv.AppendField(b, r.detail)
	b = append(b, ',')
	if r.length > 0 {
		b = strconv.AppendInt(b, int64(r.length), 10)
	}
	b = append(b, ',')
	if r.segments > 0 {
		b = strconv.AppendInt(b, int64(r.segments), 10)
	}
	b = append(b, '\r', '\n')
	rw.buf = b
	_, err := rw.w.Write(b)
	return err
}

func (rw *reportWriter) flush() error { return rw.w.Flush() }
