package check

import (
	"bufio"
	"io"
	"strconv"
)

// utf8BOM makes Excel read the report as UTF-8, as send-sms's own report does.
const utf8BOM = "\xef\xbb\xbf"

// States of a report row: what the job would do with it.
const (
	StateWouldSend = "would_send"
	StateRejected  = "rejected"
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
	if _, err := rw.w.WriteString(utf8BOM); err != nil {
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
	b = appendField(b, r.phone)
	b = append(b, ',')
	b = append(b, r.state...)
	b = append(b, ',')
	b = appendField(b, r.reason)
	b = append(b, ',')
	b = appendField(b, r.detail)
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

// appendField quotes a field when it holds a comma, quote or line break, and
// neutralises a leading =, +, - or @ so a spreadsheet does not run it as a
// formula (the detail column can echo CSV content).
func appendField(b []byte, s string) []byte {
	needQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			needQuote = true
		}
	}
	formula := s != "" && (s[0] == '=' || s[0] == '+' && !isE164(s) || s[0] == '-' || s[0] == '@')
	if !needQuote && !formula {
		return append(b, s...)
	}
	b = append(b, '"')
	if formula {
		b = append(b, '\'')
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func isE164(s string) bool {
	if len(s) < 2 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
