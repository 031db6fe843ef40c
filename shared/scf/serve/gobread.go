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
	r       *bufio.Reader
	types   map[int]*wireType
	matches map[*wireType]*match
	msg     []byte // the current message
	pos     int
	depth   int // of skip, bounded as encoding/gob bounds it
}

func newGobReader(r io.Reader) *gobReader {
	return &gobReader{r: bufio.NewReader(r), types: map[int]*wireType{}, matches: map[*wireType]*match{}}
}

// next returns the type id of the next value, taking in the type
// definitions before it. It returns io.EOF only where the stream ended
// cleanly before a message. Inside an interface value (encoding/gob's
// decodeTypeSequence with isInterface) the definitions are in the value's
// message, each after the first behind a count, and the id may follow
// them in the next message.
func (g *gobReader) next(inInterface bool) (int, error) {
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
		n, err := g.int()
		if err != nil {
			return 0, err
		}
		id := int32(n) // a type id is an int32, as encoding/gob truncates it
		if id >= 0 {
			return int(id), nil
		}
		if err := g.defineType(int(-id)); err != nil {
			return 0, err
		}
		if g.pos != len(g.msg) {
			if !inInterface {
				return 0, errors.New("extra data in buffer")
			}
			if _, err := g.uint(); err != nil {
				return 0, err
			}
		}
		first = false
	}
}

// gobMaxMessage bounds one message. encoding/gob allows 8 GB on 64-bit
// systems; SCF's largest event is 6 MB (a synchronous invocation), and a
// message several times that is none the runtime sends.
const gobMaxMessage = 32 << 20

// gobKeepMessage is the largest message buffer kept for the next message:
// one big event does not hold its size for the life of the instance.
const gobKeepMessage = 64 << 10

// readMessage reads the next message. Its storage grows with the bytes
// that arrive, a MiB at a time, never with the count alone.
func (g *gobReader) readMessage() error {
	n, err := readStreamUint(g.r)
	if err != nil {
		return err
	}
	if n > gobMaxMessage {
		return errGobBadCount
	}
	if cap(g.msg) > gobKeepMessage {
		g.msg = nil
	}
	g.msg, g.pos = g.msg[:0], 0
	for uint64(len(g.msg)) < n {
		chunk := min(int(n)-len(g.msg), 1<<20)
		g.msg = append(g.msg, make([]byte, chunk)...)
		if _, err := io.ReadFull(g.r, g.msg[len(g.msg)-chunk:]); err != nil {
			g.msg = g.msg[:0]
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
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
			wt.array = true
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.arrayElem)
				case 2:
					n, err := g.int()
					wt.arrayLen = int(n)
					return err
				}
				return errBadTypeField
			})
		case 1: // SliceT
			wt.slice = true
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.sliceElem)
				}
				return errBadTypeField
			})
		case 2: // StructT
			wt.strct = true
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
						// As encoding/gob: an element needs input left (a
						// struct would else end at the message's end).
						if g.pos == len(g.msg) {
							return errors.New("gob: decoding array or slice: length exceeds input size")
						}
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
			wt.mapT = true
			return g.fields(func(f int) error {
				switch f {
				case 0:
					return g.commonType()
				case 1:
					return g.typeID(&wt.mapKey)
				case 2:
					return g.typeID(&wt.mapElem)
				}
				return errBadTypeField
			})
		case 4, 5, 6: // GobEncoderT, BinaryMarshalerT, TextMarshalerT
			wt.external = true
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
	// A definition with no part is kept, as encoding/gob keeps it; a value
	// of that type is refused.
	g.types[id] = wt
	return nil
}

var errBadTypeField = errors.New("gob: unknown field in a type definition")

// builtinTypes are the struct types encoding/gob defines below id 64 (its
// own type descriptors; its seven reserved ids are no structs). A stream
// may send a value of one; the runtime never does, but the reader must
// read them as encoding/gob does: into a struct, not skipped (encoding/gob
// skips only the stream's own types).
var builtinTypes = func() map[int]*wireType {
	st := func(fs ...wireField) *wireType { return &wireType{builtin: true, strct: true, fields: fs} }
	common := wireField{"CommonType", 18}
	m := map[int]*wireType{
		16: st(wireField{"ArrayT", 17}, wireField{"SliceT", 19}, wireField{"StructT", 20}, wireField{"MapT", 23},
			wireField{"GobEncoderT", 24}, wireField{"BinaryMarshalerT", 24}, wireField{"TextMarshalerT", 24}),
		17: st(common, wireField{"Elem", tInt}, wireField{"Len", tInt}),
		18: st(wireField{"Name", tString}, wireField{"Id", tInt}),
		19: st(common, wireField{"Elem", tInt}),
		20: st(common, wireField{"Field", 22}),
		21: st(wireField{"Name", tString}, wireField{"Id", tInt}),
		22: {builtin: true, slice: true, sliceElem: 21},
		23: st(common, wireField{"Key", tInt}, wireField{"Elem", tInt}),
		24: st(common),
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
		return g.skipInterface()
	}
	wt := g.types[id]
	if wt == nil {
		return fmt.Errorf("gob: unknown type id %d", id)
	}
	switch wt.skipAs() {
	case 's':
		return g.skipStruct(wt)
	case 'a':
		n, err := g.uint()
		if err != nil {
			return err
		}
		if n != uint64(wt.arrayLen) {
			return errors.New("gob: array length mismatch")
		}
		return g.skipElems(wt.arrayElem, wt.arrayLen) // a negative length skips nothing, as in encoding/gob
	case 'l':
		n, err := g.uint()
		if err != nil {
			return err
		}
		return g.skipElems(wt.sliceElem, int(n)) // as encoding/gob, a count over MaxInt64 is no elements
	case 'm':
		n, err := g.uint()
		if err != nil {
			return err
		}
		for i := 0; i < int(n); i++ {
			// encoding/gob checks no input here: at the end of the
			// message a pair either fails or, both being structs, reads
			// nothing, as would every pair after it. One pair stands for
			// them all rather than a loop on a count from the input.
			last := g.pos == len(g.msg)
			if err := g.skip(wt.mapKey); err != nil {
				return err
			}
			if err := g.skip(wt.mapElem); err != nil {
				return err
			}
			if last {
				break
			}
		}
		return nil
	case 'e':
		_, err := g.bytes()
		return err
	}
	return fmt.Errorf("gob: bad data: ignore can't handle type id %d", id)
}

func (g *gobReader) skipStruct(wt *wireType) error {
	return g.fields(func(f int) error {
		if f >= len(wt.fields) {
			return errors.New("gob: field number out of range")
		}
		return g.skip(wt.fields[f].id)
	})
}

// skipElems reads past n elements of a slice or array. Each takes at least
// a byte, so the input bounds the loop.
func (g *gobReader) skipElems(elem, n int) error {
	for range max(n, 0) {
		if g.pos == len(g.msg) {
			return errors.New("gob: decoding array or slice: length exceeds input size")
		}
		if err := g.skip(elem); err != nil {
			return err
		}
	}
	return nil
}

// skipInterface reads past an interface value: the concrete type's name,
// the type definitions that may come with it (kept: later values may use
// them), its id and the value, which is counted.
func (g *gobReader) skipInterface() error {
	if _, err := g.bytes(); err != nil {
		return err
	}
	if _, err := g.next(true); err != nil {
		return err
	}
	_, err := g.bytes()
	return err
}

// discard reads past the next value, as encoding/gob's DecodeValue of the
// zero Value does.
func (g *gobReader) discard() error {
	g.pos = len(g.msg) // what a failed value left of its message, as encoding/gob
	id, err := g.next(false)
	if err != nil {
		return err
	}
	if wt := g.types[id]; wt != nil && wt.strct {
		return g.skipStruct(wt)
	}
	// A value that is not a struct arrives as a field of delta 0.
	d, err := g.uint()
	if err != nil {
		return err
	}
	if d != 0 {
		return errors.New("gob: decode: corrupted data: non-zero delta for singleton")
	}
	return g.skip(id)
}

// match pairs a wire struct's fields with a target's.
type match struct {
	t       *targetField // the target matched, by identity
	local   []int        // per wire field, its target field or -1
	matched int
}

// match pairs wt's fields with t's by name, checking their types as
// encoding/gob does. The last match of each of the stream's own types is
// kept: serveConn reuses its targets, so per value it costs a lookup.
// (The built-in types are shared by all connections and not kept.)
func (g *gobReader) match(wt *wireType, t target) (*match, error) {
	own := len(t) > 0 && !wt.builtin
	if own {
		if m := g.matches[wt]; m != nil && m.t == &t[0] {
			return m, nil
		}
	}
	m := &match{local: make([]int, len(wt.fields))}
	for i, wf := range wt.fields {
		m.local[i] = -1
		for j := range t {
			if t[j].name != wf.name {
				continue
			}
			want := t[j].wireID()
			sub := g.typ(wf.id)
			// A struct may arrive as any struct, but not as a type with
			// its own encoding (encoding/gob's compatibleType).
			if want == 0 && (sub == nil || !sub.strct || sub.external) || want != 0 && wf.id != want {
				return nil, fmt.Errorf("gob: wrong type for received field %s", wf.name)
			}
			m.local[i] = j
			m.matched++
		}
	}
	if own {
		m.t = &t[0]
		g.matches[wt] = m
	}
	return m, nil
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
	// What a failed value left of its message is dropped, as encoding/gob
	// drops it: the stream stays in step after a body net/rpc refuses.
	g.pos = len(g.msg)
	id, err := g.next(false)
	if err != nil {
		return err
	}
	wt := g.typ(id)
	if wt == nil || !wt.strct {
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
	m, err := g.match(wt, t)
	if err != nil {
		return err
	}
	if top && m.matched == 0 && len(t) > 0 && len(wt.fields) > 0 {
		return errors.New("gob: type mismatch: no fields matched")
	}
	return g.fields(func(f int) error {
		if f >= len(wt.fields) {
			return errors.New("gob: field number out of range")
		}
		if m.local[f] < 0 {
			return g.skip(wt.fields[f].id)
		}
		lf := &t[m.local[f]]
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
