package check

import (
	"bufio"
	"io"
	"strconv"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/excelcsv"
)

// rejectsHeader comes before the file's own columns in rejects.csv. They
// are Chinese and match no phone column name, so the file, once mended,
// can be checked and uploaded as it is: the extra columns are ignored.
var rejectsHeader = []string{"原行号", "原因", "修改方法"}

// rejectsWriter writes rejects.csv: for each rejected row its line in the
// original file, the reason and the fix in Chinese, then its original cells.
type rejectsWriter struct {
	w   *bufio.Writer
	buf []byte
}

func newRejectsWriter(w io.Writer, columns []string) (*rejectsWriter, error) {
	rj := &rejectsWriter{w: bufio.NewWriterSize(w, 64<<10)}
	if _, err := rj.w.WriteString(excelcsv.BOM); err != nil {
		return nil, err
	}
	b := rj.buf[:0]
	for i, h := range append(append([]string{}, rejectsHeader...), columns...) {
		if i > 0 {
			b = append(b, ',')
		}
		b = excelcsv.AppendField(b, h)
	}
	b = append(b, '\r', '\n')
	_, err := rj.w.Write(b)
	return rj, err
}

// write adds row, rejected as rr says. A row the reader could not split
// (bad quotes, too long) has no cells to give back: its phone cell, when
// known, stands alone.
func (rj *rejectsWriter) write(row campaign.Row, rr reportRow) error {
	reason := campaign.Reason(rr.reason)
	why := reason.Description()
	if rr.detail != "" {
		why += "：" + rr.detail
	}
	b := rj.buf[:0]
	b = strconv.AppendInt(b, int64(row.Line), 10)
	b = append(b, ',')
	b = excelcsv.AppendField(b, why)
	b = append(b, ',')
	b = excelcsv.AppendField(b, reason.Fix())
	fields := row.Fields
	if fields == nil && row.Phone != "" && row.Header != nil {
		fields = make([]string, row.Header.PhoneIndex()+1)
		fields[row.Header.PhoneIndex()] = row.Phone
	}
	for _, f := range fields {
		b = append(b, ',')
		b = excelcsv.AppendField(b, f)
	}
	b = append(b, '\r', '\n')
	rj.buf = b
	_, err := rj.w.Write(b)
	return err
}

func (rj *rejectsWriter) flush() error { return rj.w.Flush() }
