package send

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/smsjump/smsjump/shared/excelcsv"
)

// ReadResults reads a result.csv the job wrote and calls fn for each line in
// order. It checks the framing an operator's tool relies on: the BOM, the
// header, and one line per input row numbered 1, 2, 3…
func ReadResults(r io.Reader, fn func(Result) error) error {
	br := bufio.NewReader(r)
	bom, err := br.Peek(len(excelcsv.BOM))
	if err != nil || !bytes.Equal(bom, []byte(excelcsv.BOM)) {
		return errors.New("result.csv: no UTF-8 BOM")
	}
	br.Discard(len(excelcsv.BOM))
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = len(resultHeader)
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("result.csv: header: %w", err)
	}
	if !slices.Equal(head, resultHeader) {
		return fmt.Errorf("result.csv: header %q, want %q", strings.Join(head, ","), strings.Join(resultHeader, ","))
	}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("result.csv: %w", err)
		}
		res, err := parseResult(rec)
		if err != nil {
			return fmt.Errorf("result.csv line %d: %w", line+1, err)
		}
		if res.Row != line {
			return fmt.Errorf("result.csv line %d holds row %d, want %d", line+1, res.Row, line)
		}
		if err := fn(res); err != nil {
			return err
		}
	}
}

// parseResult is the inverse of Result.appendCSV.
func parseResult(rec []string) (Result, error) {
	row, err1 := strconv.Atoi(rec[0])
	fee, err2 := strconv.Atoi(rec[6])
	seg, err3 := strconv.Atoi(rec[7])
	crash, err4 := strconv.ParseBool(rec[8])
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return Result{}, err
	}
	return Result{Row: row, Phone: rec[1], State: rec[2], Reason: rec[3], Code: rec[4], SerialNo: rec[5],
		Fee: fee, Segments: seg, InFlightAtCrash: crash}, nil
}
