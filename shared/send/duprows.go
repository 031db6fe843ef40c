package send

import (
	"bufio"
	"bytes"
	"io"
	"slices"
	"strconv"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
)

// dupNumbers lists the numbers the feed rejected as duplicates, so that the
// merge can tell each duplicate row which line it repeats (「与第 N 行重复」).
//
// The duplicate set cannot say where a number was first seen without
// growing past its few bytes a number, so the first line is found lazily:
// duplicates are rare, and result.csv is merged in row order, so one pass
// over the parts meets every first occurrence before its repeats. Only the
// duplicated numbers are kept, 8 bytes per duplicate row (none for a clean
// list); a resume rebuilds the list while it re-reads the rows before the
// checkpoint, as it rebuilds the duplicate set.
type dupNumbers []uint64

// note records e164, which the duplicate set has just refused.
func (d *dupNumbers) note(e164 string) {
	if k, ok := phone.Key(e164); ok {
		*d = append(*d, k)
	}
}

// firstLines resolves duplicates while the parts are merged: keys are the
// duplicated numbers, sorted and distinct, and first[i] is the row where
// keys[i] was first taken (0 until the merge meets it).
type firstLines struct {
	keys  []uint64
	first []int32
	num   [20]byte // formatting room for a row number
}

// newFirstLines sorts d in place and drops repeats; nil when there is
// nothing to resolve, so that the merge stays a plain copy.
func newFirstLines(d dupNumbers) *firstLines {
	if len(d) == 0 {
		return nil
	}
	slices.Sort(d)
	keys := slices.Compact([]uint64(d))
	return &firstLines{keys: keys, first: make([]int32, len(keys))}
}

// readingReasons are the rows the feed rejects before it looks at the
// number: their phone cell was never taken, so it is no first occurrence.
var readingReasons = map[string]bool{
	string(campaign.ReasonRowTooLong):    true,
	string(campaign.ReasonBadQuote):      true,
	string(campaign.ReasonBadFieldCount): true,
}

// copyPart copies one part's lines to w, writing 「与第 N 行重复」 into the
// code column of each duplicate row. Lines are as Result.appendCSV writes
// them: the row, the phone (E.164 unquoted, or a raw cell that may be
// quoted), the state, the reason, then the code, empty for a duplicate.
func (fl *firstLines) copyPart(src io.Reader, w *bufio.Writer) error {
	br := bufio.NewReaderSize(src, 64<<10)
	var rec []byte
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			rec = append(rec, line...)
			continue
		}
		rec = append(rec, line...)
		if err == nil && bytes.Count(rec, []byte{'"'})%2 == 1 {
			continue // a newline inside a quoted field
		}
		if len(rec) > 0 {
			if werr := fl.line(rec, w); werr != nil {
				return werr
			}
		}
		rec = rec[:0]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// line writes one record, resolved.
func (fl *firstLines) line(rec []byte, w *bufio.Writer) error {
	f, ok := splitFields(rec) // row, phone, state, reason, rest
	if !ok {
		_, err := w.Write(rec)
		return err
	}
	i, ok := fl.index(f[1])
	if !ok {
		_, err := w.Write(rec)
		return err
	}
	reason := string(f[3])
	switch {
	case reason == string(campaign.ReasonDuplicate) && fl.first[i] > 0 && bytes.HasPrefix(f[4], []byte{','}):
		// The code column is empty: the detail goes in it.
		head := len(rec) - len(f[4])
		w.Write(rec[:head])
		w.WriteString("与第 ")
		w.Write(strconv.AppendInt(fl.num[:0], int64(fl.first[i]), 10))
		w.WriteString(" 行重复")
		_, err := w.Write(f[4])
		return err
	case reason != string(campaign.ReasonDuplicate) && !readingReasons[reason] && fl.first[i] == 0:
		row, err := strconv.Atoi(string(f[0]))
		if err == nil {
			fl.first[i] = int32(row)
		}
	}
	_, err := w.Write(rec)
	return err
}

// index finds an unquoted E.164 cell among the duplicated numbers.
func (fl *firstLines) index(cell []byte) (int, bool) {
	if len(cell) == 0 || cell[0] != '+' {
		return 0, false
	}
	k, ok := phone.Key(string(cell))
	if !ok {
		return 0, false
	}
	return slices.BinarySearch(fl.keys, k)
}

// splitFields cuts the first four comma-separated fields of rec, none of
// them quoted, and returns them with the rest of the record, which begins
// at the code column (a duplicate's code is empty, so its rest starts with
// the comma before serial_no); false when a leading field is quoted or the
// record is short.
func splitFields(rec []byte) (f [5][]byte, ok bool) {
	rest := rec
	for i := range 4 {
		if len(rest) > 0 && rest[0] == '"' {
			return f, false
		}
		j := bytes.IndexByte(rest, ',')
		if j < 0 {
			return f, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	f[4] = rest
	return f, true
}
