package sms

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// sendReply is everything a SendSms reply can say, read in one pass.
//
// The SDK reads a reply three ways, each with a full reflective decode
// (request error envelope, the deprecated v2 envelope, then the result) and
// does the first two twice; on 200-number replies that was most of
// send-sms's CPU. decodeReply reads the same fields in one pass and reaches
// the same verdict for every input: FuzzReplyMatchesSDK holds it to the
// SDK's own parser.
type sendReply struct {
	// response is whether "Response" held an object.
	response  bool
	errCode   string // Response.Error.Code
	errMsg    string
	requestID string
	statuses  []replyStatus
	// The pre-2019 envelope: {"code": n, "codeDesc": …, "message": …}.
	depCode     int64
	depCodeDesc string
	depMessage  string

	// Type mismatches, kept apart because the SDK only sees each in the
	// pass that reads that part: a bad status set does not hide an error
	// envelope.
	envelopeErr, deprecatedErr, statusErr error

	want int // statuses expected
}

// replyStatus is one SendStatus; null reports a JSON null in the set.
type replyStatus struct {
	null                                                          bool
	SerialNo, PhoneNumber, SessionContext, Code, Message, IsoCode string
	Fee                                                           uint64
}

var errReplyType = errors.New("JSON value of the wrong type")

// decodeReply parses body; want is the number of statuses expected, a size
// hint. A syntax error is returned; type mismatches are recorded in the
// reply for the caller to rank as the SDK does.
func decodeReply(body string, want int) (*sendReply, error) {
	r := new(sendReply)
	if err := r.decode(body, want); err != nil {
		return nil, err
	}
	return r, nil
}

// decode is decodeReply into r, which it resets; the status set's memory is
// reused.
func (r *sendReply) decode(body string, want int) error {
	*r = sendReply{statuses: r.statuses[:0], want: want}
	d := &replyDecoder{s: body}
	d.ws()
	if d.peek() == 'n' {
		d.literal("null")
	} else if d.peek() != '{' {
		// Not an object: every pass fails on it.
		if err := d.skipValue(); err != nil {
			return err
		}
		r.envelopeErr = errReplyType
	} else {
		d.object(func(key string) {
			switch {
			case foldKey(key, "Response"):
				r.decodeResponse(d)
			case foldKey(key, "code"):
				n, ok := d.int64()
				if !ok {
					r.deprecatedErr = errReplyType
				} else if ok && n.set {
					r.depCode = n.v
				}
			case foldKey(key, "codeDesc"):
				d.str(&r.depCodeDesc, &r.deprecatedErr)
			case foldKey(key, "message"):
				d.str(&r.depMessage, &r.deprecatedErr)
			default:
				d.fail(d.skipValue())
			}
		})
	}
	d.ws()
	if d.err == nil && d.i < len(d.s) {
		d.err = d.syntax("after top-level value")
	}
	return d.err
}

func (r *sendReply) decodeResponse(d *replyDecoder) {
	if open, mismatch := d.opens('{'); !open {
		if mismatch {
			r.envelopeErr, r.statusErr = errReplyType, errReplyType
		} else {
			r.response = false
		}
		return
	}
	r.response = true
	d.object(func(key string) {
		switch {
		case foldKey(key, "Error"):
			r.decodeError(d)
		case foldKey(key, "RequestId"):
			var err error
			d.str(&r.requestID, &err)
			if err != nil {
				r.envelopeErr, r.statusErr = err, err
			}
		case foldKey(key, "SendStatusSet"):
			r.decodeStatuses(d)
		default:
			d.fail(d.skipValue())
		}
	})
}

func (r *sendReply) decodeError(d *replyDecoder) {
	if open, mismatch := d.opens('{'); !open {
		if mismatch {
			r.envelopeErr = errReplyType
		}
		return
	}
	d.object(func(key string) {
		switch {
		case foldKey(key, "Code"):
			d.str(&r.errCode, &r.envelopeErr)
		case foldKey(key, "Message"):
			d.str(&r.errMsg, &r.envelopeErr)
		default:
			d.fail(d.skipValue())
		}
	})
}

func (r *sendReply) decodeStatuses(d *replyDecoder) {
	if open, mismatch := d.opens('['); !open {
		if mismatch {
			r.statusErr = errReplyType
		} else {
			r.statuses = r.statuses[:0]
		}
		return
	}
	// A repeated key replaces the set, as encoding/json does with slices.
	if n := min(max(r.want, 1), MaxPhones); cap(r.statuses) < n {
		r.statuses = make([]replyStatus, 0, n)
	}
	r.statuses = r.statuses[:0]
	d.array(func() {
		if open, mismatch := d.opens('{'); !open {
			if mismatch {
				r.statusErr = errReplyType
			}
			r.statuses = append(r.statuses, replyStatus{null: true})
			return
		}
		r.statuses = append(r.statuses, replyStatus{})
		st := &r.statuses[len(r.statuses)-1]
		d.object(func(key string) {
			var dst *string
			switch statusField(key) {
			case fieldSerialNo:
				dst = &st.SerialNo
			case fieldPhoneNumber:
				dst = &st.PhoneNumber
			case fieldFee:
				if n, ok := d.uint64(); !ok {
					r.statusErr = errReplyType
				} else if n.set {
					st.Fee = n.v
				}
				return
			case fieldSessionContext:
				dst = &st.SessionContext
			case fieldCode:
				dst = &st.Code
			case fieldMessage:
				dst = &st.Message
			case fieldIsoCode:
				dst = &st.IsoCode
			default:
				d.fail(d.skipValue())
				return
			}
			d.str(dst, &r.statusErr)
		})
	})
}

// The fields of a SendStatus, in the order Tencent writes them.
const (
	fieldNone = iota
	fieldSerialNo
	fieldPhoneNumber
	fieldFee
	fieldSessionContext
	fieldCode
	fieldMessage
	fieldIsoCode
)

var statusFields = [...]string{fieldSerialNo: "SerialNo", fieldPhoneNumber: "PhoneNumber", fieldFee: "Fee",
	fieldSessionContext: "SessionContext", fieldCode: "Code", fieldMessage: "Message", fieldIsoCode: "IsoCode"}

// statusField names the SendStatus field key stands for, as encoding/json
// matches keys: the exact name, else a case-folded one (the names are
// distinct under folding, so at most one matches either way). Replies use
// the exact names: 1,400 keys a 200-number reply.
func statusField(key string) int {
	switch key {
	case "SerialNo":
		return fieldSerialNo
	case "PhoneNumber":
		return fieldPhoneNumber
	case "Fee":
		return fieldFee
	case "SessionContext":
		return fieldSessionContext
	case "Code":
		return fieldCode
	case "Message":
		return fieldMessage
	case "IsoCode":
		return fieldIsoCode
	}
	for f := fieldSerialNo; f < len(statusFields); f++ {
		if foldKey(key, statusFields[f]) {
			return f
		}
	}
	return fieldNone
}

// opens reads what stands where an object or array (open is '{' or '[') is
// expected, as encoding/json does: the container is left for the caller to
// read (open); null is consumed and is neither; any other value is skipped
// and is a type mismatch.
func (d *replyDecoder) opens(open byte) (isOpen, mismatch bool) {
	switch d.peek() {
	case 'n':
		d.literal("null")
		return false, false
	case open:
		return true, false
	default:
		d.fail(d.skipValue())
		return false, true
	}
}

// foldKey matches object keys the way encoding/json matches field names:
// exactly, else by Unicode case folding.
func foldKey(key, field string) bool {
	if key == field {
		return true
	}
	// Fields are ASCII: a key that folds to one has as many runes, each at
	// least a byte, so it is never shorter (and most keys are the exact
	// name of another field, which this rules out without folding).
	if len(key) < len(field) {
		return false
	}
	return strings.EqualFold(key, field)
}

// replyDecoder is a small JSON reader over a string. Strings without escapes
// come back as substrings of the body, so a 200-status reply costs one copy
// of the body and no allocation per field.
type replyDecoder struct {
	s   string
	i   int
	err error
}

type jsonSyntaxError struct {
	msg string
	off int
}

func (e *jsonSyntaxError) Error() string {
	return "invalid JSON at offset " + strconv.Itoa(e.off) + ": " + e.msg
}

func (d *replyDecoder) syntax(msg string) error {
	return &jsonSyntaxError{msg: msg, off: d.i}
}

func (d *replyDecoder) fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

func (d *replyDecoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte, or 0 at the end or after
// an error.
func (d *replyDecoder) peek() byte {
	d.ws()
	if d.err != nil || d.i >= len(d.s) {
		return 0
	}
	return d.s[d.i]
}

func (d *replyDecoder) literal(lit string) {
	if d.err != nil {
		return
	}
	if !strings.HasPrefix(d.s[d.i:], lit) {
		d.err = d.syntax("bad literal")
		return
	}
	d.i += len(lit)
}

// object reads {"key": value, …}, calling member with the reader positioned
// at each value; member must consume it.
func (d *replyDecoder) object(member func(key string)) {
	if d.peek() != '{' {
		d.fail(d.syntax("want object"))
		return
	}
	d.i++
	if d.peek() == '}' {
		d.i++
		return
	}
	for d.err == nil {
		if d.peek() != '"' {
			d.fail(d.syntax("want object key"))
			return
		}
		key, err := d.stringValue()
		if err != nil {
			d.fail(err)
			return
		}
		if d.peek() != ':' {
			d.fail(d.syntax("want colon"))
			return
		}
		d.i++
		if d.peek() == 0 {
			d.fail(d.syntax("want value"))
			return
		}
		member(key)
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.fail(d.syntax("want comma or end of object"))
			return
		}
	}
}

// array reads [value, …], calling elem with the reader at each value.
func (d *replyDecoder) array(elem func()) {
	if d.peek() != '[' {
		d.fail(d.syntax("want array"))
		return
	}
	d.i++
	if d.peek() == ']' {
		d.i++
		return
	}
	for d.err == nil {
		if d.peek() == 0 {
			d.fail(d.syntax("want value"))
			return
		}
		elem()
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.fail(d.syntax("want comma or end of array"))
			return
		}
	}
}

// str reads a string into *dst; null leaves *dst alone; any other value is
// a type mismatch recorded in *typeErr.
func (d *replyDecoder) str(dst *string, typeErr *error) {
	switch d.peek() {
	case '"':
		s, err := d.stringValue()
		if err != nil {
			d.fail(err)
			return
		}
		*dst = s
	case 'n':
		d.literal("null")
	default:
		d.fail(d.skipValue())
		if *typeErr == nil {
			*typeErr = errReplyType
		}
	}
}

type number struct {
	v   int64
	set bool
}

type unumber struct {
	v   uint64
	set bool
}

// int64 reads an integer; ok is false for a mismatch (a string, a
// fraction, an overflow); null reads as unset.
func (d *replyDecoder) int64() (number, bool) {
	lit, isNum := d.numberOrSkip()
	if !isNum {
		return number{}, lit == "null"
	}
	v, err := strconv.ParseInt(lit, 10, 64)
	return number{v: v, set: true}, err == nil
}

func (d *replyDecoder) uint64() (unumber, bool) {
	lit, isNum := d.numberOrSkip()
	if !isNum {
		return unumber{}, lit == "null"
	}
	v, err := strconv.ParseUint(lit, 10, 64)
	return unumber{v: v, set: true}, err == nil
}

// numberOrSkip returns a number's literal, or skips any other value (and
// returns "null" for null).
func (d *replyDecoder) numberOrSkip() (string, bool) {
	switch c := d.peek(); {
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.i
		d.fail(d.number())
		return d.s[start:d.i], d.err == nil
	case c == 'n':
		d.literal("null")
		return "null", false
	default:
		d.fail(d.skipValue())
		return "", false
	}
}

// number consumes a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *replyDecoder) number() error {
	s, i := d.s, d.i
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		d.i = i
		return d.syntax("bad number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			d.i = i
			return d.syntax("bad fraction")
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			d.i = i
			return d.syntax("bad exponent")
		}
	}
	d.i = i
	return nil
}

// skipValue consumes any JSON value, checking its syntax.
func (d *replyDecoder) skipValue() error {
	switch c := d.peek(); {
	case d.err != nil:
		return d.err
	case c == '{':
		d.object(func(string) { d.fail(d.skipValue()) })
	case c == '[':
		d.array(func() { d.fail(d.skipValue()) })
	case c == '"':
		_, err := d.stringValue()
		d.fail(err)
	case c == 't':
		d.literal("true")
	case c == 'f':
		d.literal("false")
	case c == 'n':
		d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		d.fail(d.number())
	default:
		d.fail(d.syntax("want value"))
	}
	return d.err
}

// stringValue reads a quoted string at d.i. Without escapes or invalid
// UTF-8 it is a substring of the body; otherwise it is decoded as
// encoding/json does (bad surrogates and bytes become U+FFFD).
func (d *replyDecoder) stringValue() (string, error) {
	s := d.s
	start := d.i + 1
	i := start
	// Eight bytes at a time up to the first that needs a look: most of a
	// reply is plain ASCII inside strings.
	for i+8 <= len(s) {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if !plainWord(w) {
			break
		}
		i += 8
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			return s[start:i], nil
		case c == '\\' || c >= utf8.RuneSelf:
			return d.slowString(start)
		case c < 0x20:
			d.i = i
			return "", d.syntax("control character in string")
		}
		i++
	}
	d.i = i
	return "", d.syntax("unterminated string")
}

// plainWord reports whether none of the 8 bytes of w (little-endian) ends
// a plain string run: a quote, a backslash, a control character or a
// non-ASCII byte. A true answer is exact; a false one may be wrong for
// bytes after a special one, which the byte loop then reads.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	// (x - ones) &^ x has a byte's high bit set where x has a zero byte (at
	// least the first one); w - ones*0x20 where a byte is below 0x20; w
	// itself where a byte is 0x80 or above.
	return ((quote-ones)&^quote|(backslash-ones)&^backslash|(w-ones*0x20)|w)&highs == 0
}

func (d *replyDecoder) slowString(start int) (string, error) {
	s := d.s
	var b []byte
	i := start
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			return string(b), nil
		case c < 0x20:
			d.i = i
			return "", d.syntax("control character in string")
		case c == '\\':
			if i+1 >= len(s) {
				d.i = i
				return "", d.syntax("unterminated escape")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					d.i = i
					return "", d.syntax("bad \\u escape")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							b = utf8.AppendRune(b, dec)
							i += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				d.i = i
				return "", d.syntax("bad escape")
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	d.i = i
	return "", d.syntax("unterminated string")
}

func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[at:at+4], 16, 16)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}
