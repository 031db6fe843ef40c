package serve

import "errors"

// The gob wire format, as far as net/rpc's Go1 runtime protocol needs it:
// a reader that takes the runtime's type definitions as they come and
// decodes struct values by field name into the few targets the protocol
// has, and a writer for the protocol's answers. encoding/gob itself is
// about 0.24 MB of each function (docs/BENCHMARKS.md, issue 12, §4).
// Held to it: the reader value by value beside encoding/gob on the same
// streams (gob_diff_test.go, FuzzGobReaderMatchesGob,
// FuzzGobReaderAcceptsWhatGobAccepts), the writer read back by it
// (FuzzGobWriterMatchesGob) and byte for byte against net/rpc's server
// (TestGobWriterWritesWhatNetRPCWrites).

// Predefined type ids of the wire format.
const (
	tBool      = 1
	tInt       = 2
	tUint      = 3
	tFloat     = 4
	tBytes     = 5
	tString    = 6
	tComplex   = 7
	tInterface = 8
)

var (
	errGobBadUint  = errors.New("gob: encoded unsigned integer out of range")
	errGobBadCount = errors.New("gob: invalid message length")
	errGobShort    = errors.New("gob: message ends inside a value")
)

// wireType is a received type definition: encoding/gob's wireType, whose
// parts (array, slice, struct, map, a type with its own encoding) a peer
// may set more than one of; each use reads the part encoding/gob reads.
type wireType struct {
	array, slice, strct, mapT, external bool // the parts set
	builtin                             bool // encoding/gob's own, shared by all streams

	fields    []wireField // struct
	arrayElem int
	arrayLen  int
	sliceElem int
	mapKey    int
	mapElem   int
}

// skipAs is the part encoding/gob skips a value by (its decIgnoreOpFor's
// order): 'a' array, 'm' map, 'l' slice, 's' struct, 'e' own encoding, or
// 0 for none.
func (t *wireType) skipAs() byte {
	switch {
	case t.array:
		return 'a'
	case t.mapT:
		return 'm'
	case t.slice:
		return 'l'
	case t.strct:
		return 's'
	case t.external:
		return 'e'
	}
	return 0
}

type wireField struct {
	name string
	id   int
}

func appendUint(b []byte, x uint64) []byte {
	if x < 0x80 {
		return append(b, byte(x))
	}
	n := 0
	for y := x; y > 0; y >>= 8 {
		n++
	}
	b = append(b, byte(-n))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(x>>(8*i)))
	}
	return b
}

func appendInt(b []byte, i int64) []byte {
	if i < 0 {
		return appendUint(b, uint64(^i)<<1|1)
	}
	return appendUint(b, uint64(i)<<1)
}

func appendString(b []byte, s string) []byte {
	b = appendUint(b, uint64(len(s)))
	return append(b, s...)
}
