package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
)

// gobReader reads one gob stream.
type gobReader struct {
	r     *bufio.Reader
	types map[int]*wireType
	msg   []byte // the current message
	pos   int
	depth int // of skip, bounded as encoding/gob bounds it
}

func newGobReader(r io.Reader) *gobReader {
	return &gobReader{r: bufio.NewReader(r), types: map[int]*wireType{}}
}

// next returns the type id of the next value, taking in the type
// definitions before it. It returns io.EOF only where the stream ended
// cleanly before a message.
func (g *gobReader) next() (int, error) {
	first := true
	for {
		if g.pos == len(g.msg) {
			if err := g.readMessage(); err != nil {
				if err == io.EOF && !first {
					err = io.ErrUnexpectedEOF
				}
				return 0, err
			}
		}
		id, err := g.int()
		if err != nil {
			return 0, err
		}
		if id >= 0 {
			return int(id), nil
		}
		if err := g.defineType(int(-id)); err != nil {
			return 0, err
		}
		if g.pos != len(g.msg) {
			return 0, errors.New("extra data in buffer")
		}
		first = false
	}
}

func (g *gobReader) readMessage() error {
	n, err := readStreamUint(g.r)
	if err != nil {
		return err
	}
	if n >= gobTooBig {
		return errGobBadCount
	}
	if uint64(cap(g.msg)) < n {
		g.msg = make([]byte, n)
	}
	g.msg, g.pos = g.msg[:n], 0
	if _, err := io.ReadFull(g.r, g.msg); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	return nil
}

// readStreamUint reads a message's byte count.
func readStreamUint(r *bufio.Reader) (uint64, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	if b < 0x80 {
		return uint64(b), nil
	}
	n := -int(int8(b))
	if n > 8 {
		return 0, errGobBadUint
	}
	var x uint64
	for range n {
		c, err := r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		x = x<<8 | uint64(c)
	}
	return x, nil
}

func (g *gobReader) uint() (uint64, error) {
	if g.pos >= len(g.msg) {
		return 0, errGobShort
	}
	b := g.msg[g.pos]
	g.pos++
	if b < 0x80 {
		return uint64(b), nil
	}
	n := -int(int8(b))
	if n > 8 {
		return 0, errGobBadUint
	}
	if len(g.msg)-g.pos < n {
		return 0, errGobShort
	}
	var x uint64
	for _, c := range g.msg[g.pos : g.pos+n] {
		x = x<<8 | uint64(c)
	}
	g.pos += n
	return x, nil
}

func (g *gobReader) int() (int64, error) {
	u, err := g.uint()
	i := int64(u >> 1)
	if u&1 != 0 {
		i = ^i
	}
	return i, err
}

// bytes reads a count and that many bytes (a string or []byte), shared
// with the message buffer.
func (g *gobReader) bytes() ([]byte, error) {
	n, err := g.uint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(g.msg)-g.pos) {
		return nil, errGobShort
	}
	b := g.msg[g.pos : g.pos+int(n)]
	g.pos += int(n)
	return b, nil
}

// fields reads a struct encoding: (field delta, value)* then 0, calling
// read for each field number. As in encoding/gob, the end of the message
// also ends a struct.
func (g *gobReader) fields(read func(field int) error) error {
	field := -1
	for g.pos < len(g.msg) {
		d, err := g.uint()
		if err != nil {
			return err
		}
		if d == 0 {
			return nil
		}
		if d > math.MaxInt32 || field+int(d) < field {
			return errors.New("gob: field number out of range")
		}
		field += int(d)
		if err := read(field); err != nil {
			return err
		}
	}
	return nil
}

// defineType reads a wireType value for id.
func (g *gobReader) defineType(id int) error {
	if id < 64 || g.types[id] != nil {
		// Ids below 64 are the format's own.
		return errors.New("gob: duplicate type received")
	}
	wt := &wireType{}
	err := g.fields(func(f int) error {
		switch f {
		case 0: // ArrayT
			wt.kind = 'a'
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.elem)
				case 2:
					n, err := g.int()
					wt.length = int(n)
					return err
				}
				return errBadTypeField
			})
		case 1: // SliceT
			wt.kind = 'l'
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.elem)
				}
				return errBadTypeField
			})
		case 2: // StructT
			wt.kind = 's'
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					n, err := g.uint()
					if err != nil {
						return err
					}
					if n > uint64(len(g.msg)-g.pos) {
						return errGobShort
					}
					for range n {
						var fl wireField
						err := g.fields(func(f int) error {
							switch f {
							case 0:
								b, err := g.bytes()
								fl.name = string(b)
								return err
							case 1:
								return g.typeID(&fl.id)
							}
							return errBadTypeField
						})
						if err != nil {
							return err
						}
						wt.fields = append(wt.fields, fl)
					}
					return nil
				}
				return errBadTypeField
			})
		case 3: // MapT
			wt.kind = 'm'
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.key)
				case 2:
					return g.typeID(&wt.elem)
				}
				return errBadTypeField
			})
		case 4, 5, 6: // GobEncoderT, BinaryMarshalerT, TextMarshalerT
			wt.kind = 'e'
			return g.fields(func(f int) error {
				if f == 0 {
					return g.commonType()
				}
				return errBadTypeField
			})
		}
		return errBadTypeField
	})
	if err != nil {
		return err
	}
	if wt.kind == 0 {
		return errors.New("gob: empty type definition")
	}
	g.types[id] = wt
	return nil
}

var errBadTypeField = errors.New("gob: unknown field in a type definition")

// builtinTypes are the struct types encoding/gob defines below id 64 (its
// own type descriptors and seven reserved ones). A stream may name them
// like any other; the runtime never does, but the reader must read them as
// encoding/gob does.
var builtinTypes = func() map[int]*wireType {
	st := func(fs ...wireField) *wireType { return &wireType{kind: 's', fields: fs} }
	common := wireField{"CommonType", 18}
	m := map[int]*wireType{
		16: st(wireField{"ArrayT", 17}, wireField{"SliceT", 19}, wireField{"StructT", 20}, wireField{"MapT", 23},
			wireField{"GobEncoderT", 24}, wireField{"BinaryMarshalerT", 24}, wireField{"TextMarshalerT", 24}),
		17: st(common, wireField{"Elem", tInt}, wireField{"Len", tInt}),
		18: st(wireField{"Name", tString}, wireField{"Id", tInt}),
		19: st(common, wireField{"Elem", tInt}),
		20: st(common, wireField{"Field", 22}),
		21: st(wireField{"Name", tString}, wireField{"Id", tInt}),
		22: {kind: 'l', elem: 21},
		23: st(common, wireField{"Key", tInt}, wireField{"Elem", tInt}),
		24: st(common),
	}
	for id := 9; id <= 15; id++ {
		m[id] = st(wireField{"r" + string(rune('0'+16-id)), tInt})
	}
	return m
}()

// typ is the definition of id: the stream's, or a builtin one.
func (g *gobReader) typ(id int) *wireType {
	if t := g.types[id]; t != nil {
		return t
	}
	return builtinTypes[id]
}

// commonType reads (and drops) a CommonType: the name and the id again.
func (g *gobReader) commonType() error {
	return g.fields(func(f int) error {
		switch f {
		case 0:
			_, err := g.bytes()
			return err
		case 1:
			_, err := g.int()
			return err
		}
		return errBadTypeField
	})
}

func (g *gobReader) typeID(dst *int) error {
	n, err := g.int()
	if n < math.MinInt32 || n > math.MaxInt32 {
		return errors.New("gob: type id out of range")
	}
	*dst = int(n)
	return err
}

// maxSkipDepth is encoding/gob's maxIgnoreNestingDepth.
const maxSkipDepth = 10000

// skip reads past a value of wire type id.
func (g *gobReader) skip(id int) error {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > maxSkipDepth {
		return errors.New("invalid nesting depth")
	}
	switch id {
	case tBool, tInt, tUint, tFloat:
		_, err := g.uint()
		return err
	case tComplex:
		if _, err := g.uint(); err != nil {
			return err
		}
		_, err := g.uint()
		return err
	case tBytes, tString:
		_, err := g.bytes()
		return err
	case tInterface:
		return errors.New("gob: interface values are not part of the runtime protocol")
	}
	wt := g.typ(id)
	if wt == nil {
		return fmt.Errorf("gob: unknown type id %d", id)
	}
	switch wt.kind {
	case 's':
		return g.fields(func(f int) error {
			if f >= len(wt.fields) {
				return errors.New("gob: field number out of range")
			}
			return g.skip(wt.fields[f].id)
		})
	case 'l', 'a', 'm':
		n, err := g.uint()
		if err != nil {
			return err
		}
		if wt.kind == 'a' && n != uint64(wt.length) {
			return errors.New("gob: array length mismatch")
		}
		if n > uint64(len(g.msg)-g.pos) {
			return errGobShort
		}
		for range n {
			if g.pos == len(g.msg) {
				return errors.New("gob: decoding array or slice: length exceeds input size")
			}
			if wt.kind == 'm' {
				if err := g.skip(wt.key); err != nil {
					return err
				}
			}
			if err := g.skip(wt.elem); err != nil {
				return err
			}
		}
		return nil
	}
	_, err := g.bytes()
	return err
}

// discard reads past the next value, as encoding/gob's DecodeValue of the
// zero Value does.
func (g *gobReader) discard() error {
	id, err := g.next()
	if err != nil {
		return err
	}
	if wt := g.typ(id); wt == nil || wt.kind != 's' {
		// A value that is not a struct arrives as a field of delta 0.
		if _, err := g.uint(); err != nil {
			return err
		}
	}
	return g.skip(id)
}

// A target is a local struct the reader fills: its fields by name.
type target []targetField

type targetField struct {
	name string
	// One of these points into the local struct.
	str   *string
	bytes *[]byte
	i32   *int32
	i64   *int64
	u64   *uint64
	sub   target
}

// wireID is the predefined type a field must arrive as (0: a struct).
func (f *targetField) wireID() int {
	switch {
	case f.str != nil:
		return tString
	case f.bytes != nil:
		return tBytes
	case f.i32 != nil, f.i64 != nil:
		return tInt
	case f.u64 != nil:
		return tUint
	}
	return 0
}

// decode reads the next value into t, which must arrive as a struct.
func (g *gobReader) decode(t target) error {
	id, err := g.next()
	if err != nil {
		return err
	}
	wt := g.typ(id)
	if wt == nil || wt.kind != 's' {
		return errors.New("gob: type mismatch in decoder: want struct type; got non-struct")
	}
	// encoding/gob checks that some field matched only for the stream's
	// own types.
	return g.structValue(wt, t, g.types[id] != nil)
}

// structValue reads a struct value of wire type wt into t; at the top
// level, as encoding/gob, a struct with fields none of which t has is an
// error.
func (g *gobReader) structValue(wt *wireType, t target, top bool) error {
	local := make([]*targetField, len(wt.fields))
	matched := 0
	for i, wf := range wt.fields {
		for j := range t {
			if t[j].name != wf.name {
				continue
			}
			want := t[j].wireID()
			sub := g.typ(wf.id)
			if want == 0 && (sub == nil || sub.kind != 's') || want != 0 && wf.id != want {
				return fmt.Errorf("gob: wrong type for received field %s", wf.name)
			}
			local[i] = &t[j]
			matched++
		}
	}
	if top && matched == 0 && len(t) > 0 && len(wt.fields) > 0 {
		return errors.New("gob: type mismatch: no fields matched")
	}
	return g.fields(func(f int) error {
		if f >= len(wt.fields) {
			return errors.New("gob: field number out of range")
		}
		lf := local[f]
		if lf == nil {
			return g.skip(wt.fields[f].id)
		}
		switch {
		case lf.str != nil:
			b, err := g.bytes()
			*lf.str = string(b)
			return err
		case lf.bytes != nil:
			b, err := g.bytes()
			*lf.bytes = append([]byte(nil), b...)
			return err
		case lf.i32 != nil:
			n, err := g.int()
			if err == nil && (n < math.MinInt32 || n > math.MaxInt32) {
				return fmt.Errorf("gob: value for %q out of range", lf.name)
			}
			*lf.i32 = int32(n)
			return err
		case lf.i64 != nil:
			n, err := g.int()
			*lf.i64 = n
			return err
		case lf.u64 != nil:
			n, err := g.uint()
			*lf.u64 = n
			return err
		}
		return g.structValue(g.typ(wt.fields[f].id), lf.sub, false)
	})
}
