package campaign

import (
	"bytes"
	"fmt"
	"io"
)

// scanner cuts the raw byte stream into CSV records without decoding it.
// Working on raw bytes keeps offsets in the original stream (for resuming
// with a ranged read) and is safe for both encodings: the structural bytes
// '"' ',' '\r' '\n' never occur inside a UTF-8 or GB18030 multi-byte
// character. It enforces the row length limit itself, because encoding/csv
// would read an unbalanced quote to the end of the file in one record.
type scanner struct {
	src  io.Reader
	buf  []byte
	r, w int   // buf[r:w] is read but not yet consumed
	off  int64 // stream offset of buf[r]
	line int   // physical lines consumed
	eof  bool
	err  error // sticky read error
	max  int
	enc  Encoding
}

// rawRecord is one record as found in the stream.
type rawRecord struct {
	data   []byte // without the line terminator; valid until the next call
	line   int    // 1-based physical line where the record starts
	reject Reason // set when the record could not be read as a CSV row
	detail string
}

// Scanner states within a record.
const (
	stFieldStart = iota
	stUnquoted
	stQuoted
	stQuoteEnd   // a quote ended a quoted field
	stQuoteEndCR // ... followed by '\r'
)

func newScanner(src io.Reader, off int64, line int, maxRow int, enc Encoding) *scanner {
	return &scanner{
		src:  src,
		buf:  make([]byte, max(DetectWindow, maxRow+8)),
		off:  off,
		line: line,
		max:  maxRow,
		enc:  enc,
	}
}

// skipBOM drops a UTF-8 byte order mark at the very start of the file.
func (s *scanner) skipBOM() {
	for s.w-s.r < len(utf8BOM) && !s.eof && s.err == nil {
		s.fill()
	}
	if bytes.HasPrefix(s.buf[s.r:s.w], utf8BOM) {
		s.r += len(utf8BOM)
		s.off += int64(len(utf8BOM))
		s.enc = UTF8
	}
}

// fill moves the unconsumed bytes to the front of buf and reads more. It
// returns how far the bytes moved, so callers can adjust their indexes.
func (s *scanner) fill() (shift int) {
	if s.r > 0 {
		shift = s.r
		copy(s.buf, s.buf[s.r:s.w])
		s.w -= s.r
		s.r = 0
	}
	if s.w == len(s.buf) {
		return shift
	}
	for range 100 {
		n, err := s.src.Read(s.buf[s.w:])
		s.w += n
		switch {
		case err == io.EOF:
			s.eof = true
			return shift
		case err != nil:
			s.err = fmt.Errorf("read CSV at byte %d: %w", s.off+int64(s.w-s.r), err)
			return shift
		case n > 0:
			return shift
		}
	}
	s.err = fmt.Errorf("read CSV at byte %d: %w", s.off+int64(s.w-s.r), io.ErrNoProgress)
	return shift
}

// next returns the next record, or io.EOF.
func (s *scanner) next() (rawRecord, error) {
	start, pos := s.r, s.r
	state := stFieldStart
	firstNL, nls := -1, 0 // newlines inside quoted fields
	var hi byte           // OR of all bytes: ≥ 0x80 means non-ASCII
	for {
		// Checked before refilling: a record that fits the limit always fits
		// the buffer, so the buffer never has to grow.
		if pos-start > s.max+1 {
			detail := fmt.Sprintf("longer than %d bytes", s.max)
			if state == stQuoted {
				detail += "; a quote may not be closed"
			}
			return s.rejectFirstLine(start, firstNL, ReasonRowTooLong, detail)
		}
		if pos == s.w {
			if s.err != nil {
				return rawRecord{}, s.err
			}
			if s.eof {
				switch {
				case pos == start:
					return rawRecord{}, io.EOF
				case state == stQuoted:
					return s.rejectFirstLine(start, firstNL, ReasonBadQuote, "a quoted field is not closed before the end of the file")
				}
				return s.finish(start, pos, firstNL, nls, hi, false)
			}
			shift := s.fill()
			start, pos = start-shift, pos-shift
			if firstNL >= 0 {
				firstNL -= shift
			}
			continue
		}
		c := s.buf[pos]
		hi |= c
		switch state {
		case stFieldStart, stUnquoted:
			switch {
			case c == '\n':
				return s.finish(start, pos, firstNL, nls, hi, true)
			case c == ',':
				state = stFieldStart
			case c == '"' && state == stFieldStart:
				state = stQuoted
			default:
				// A quote inside an unquoted field (5"2) is taken literally.
				state = stUnquoted
			}
		case stQuoted:
			switch c {
			case '"':
				state = stQuoteEnd
			case '\n':
				nls++
				if firstNL < 0 {
					firstNL = pos
				}
			}
		case stQuoteEnd:
			switch c {
			case '"':
				state = stQuoted // "" is an escaped quote
			case ',':
				state = stFieldStart
			case '\n':
				return s.finish(start, pos, firstNL, nls, hi, true)
			case '\r':
				state = stQuoteEndCR
			default:
				return s.rejectFirstLine(start, firstNL, ReasonBadQuote, "text after a closing quote")
			}
		case stQuoteEndCR:
			if c != '\n' {
				return s.rejectFirstLine(start, firstNL, ReasonBadQuote, "text after a closing quote")
			}
			return s.finish(start, pos, firstNL, nls, hi, true)
		}
		pos++
	}
}

// finish consumes the record buf[start:end] and its terminator.
func (s *scanner) finish(start, end, firstNL, nls int, hi byte, terminated bool) (rawRecord, error) {
	n := end - start
	if n > 0 && s.buf[end-1] == '\r' {
		n--
	}
	if n > s.max {
		return s.rejectFirstLine(start, firstNL, ReasonRowTooLong, fmt.Sprintf("longer than %d bytes", s.max))
	}
	if hi >= 0x80 && s.enc == EncodingUndecided {
		shift := s.decide()
		start, end = start-shift, end-shift
	}
	rec := rawRecord{data: s.buf[start : start+n], line: s.line + 1}
	consumed := end - start
	if terminated {
		consumed++
		nls++
	}
	s.r = start + consumed
	s.off += int64(consumed)
	s.line += nls
	return rec, nil
}

// decide settles the encoding from a window that starts at the current
// record, the first one with non-ASCII bytes.
func (s *scanner) decide() (shift int) {
	for s.w-s.r < DetectWindow && !s.eof && s.err == nil {
		shift += s.fill()
	}
	end := min(s.w, s.r+DetectWindow)
	s.enc = detectEncoding(s.buf[s.r:end], s.eof && end == s.w)
	return shift
}

// rejectFirstLine gives up on the record that starts at buf[start]: it
// consumes only the record's first physical line and resumes on the next, so
// one broken row (typically an unbalanced quote) costs one line, not the rest
// of the file.
func (s *scanner) rejectFirstLine(start, firstNL int, reason Reason, detail string) (rawRecord, error) {
	rec := rawRecord{line: s.line + 1, reject: reason, detail: detail}
	s.r = start
	if firstNL >= 0 {
		s.consume(firstNL + 1 - start)
		s.line++
		return rec, nil
	}
	for {
		if i := bytes.IndexByte(s.buf[s.r:s.w], '\n'); i >= 0 {
			s.consume(i + 1)
			s.line++
			return rec, nil
		}
		s.consume(s.w - s.r)
		if s.eof || s.err != nil {
			return rec, nil
		}
		s.fill()
	}
}

func (s *scanner) consume(n int) {
	s.r += n
	s.off += int64(n)
}
