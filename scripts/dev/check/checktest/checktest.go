// Package checktest writes synthetic campaign CSVs whose expected check
// results are known by construction, for tests and benchmarks of any size.
package checktest

import (
	"bufio"
	"io"
	"strconv"
)

// Expected is what a check of a generated file must report.
type Expected struct {
	Rows, Valid, Invalid, Duplicates, TooLong int
}

// Rejected is the sum of the rejection kinds.
func (e Expected) Rejected() int { return e.Invalid + e.Duplicates + e.TooLong }

// Names cycles through short names so rendering does real work.
var names = []string{"张三", "李四", "王五", "Alice", "赵六六", "Bob"}

// Write writes a header "phone,name" and n rows. Each row is exactly one of:
// every 50th an invalid number, every 97th (otherwise) a repeat of the first
// number, every 200th (offset 100, otherwise) a name longer than 6 characters; the rest
// are valid with distinct numbers 138xxxxxxxx (n must stay below 10^8).
func Write(w io.Writer, n int) (Expected, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	e := Expected{Rows: n}
	bw.WriteString("phone,name\n")
	var line []byte
	for i := range n {
		line = line[:0]
		switch {
		case i%50 == 49:
			line = append(line, "12345"...)
			e.Invalid++
		case i%97 == 96:
			line = append(line, "13800000000"...)
			e.Duplicates++
		default:
			line = append(line, "138"...)
			line = appendPadded(line, i)
		}
		line = append(line, ',')
		switch {
		case i%50 == 49 || i%97 == 96:
			line = append(line, names[i%len(names)]...)
		case i%200 == 100:
			line = append(line, "名字超过六个字了"...)
			e.TooLong++
		default:
			line = append(line, names[i%len(names)]...)
			e.Valid++
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return e, err
		}
	}
	return e, bw.Flush()
}

// appendPadded appends i as 8 digits.
func appendPadded(b []byte, i int) []byte {
	s := strconv.Itoa(i)
	for range 8 - len(s) {
		b = append(b, '0')
	}
	return append(b, s...)
}
