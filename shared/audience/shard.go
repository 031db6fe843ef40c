package audience

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Source says how a number came onto the suppression list.
type Source uint8

const (
	SourceReply     Source = 1 // the recipient replied a stop word
	SourceUpload    Source = 2 // an operator uploaded suppress/*.csv
	SourceBlacklist Source = 3 // SendSms answered FailedOperation.PhoneNumberInBlacklist
)

func (s Source) String() string {
	switch s {
	case SourceReply:
		return "reply"
	case SourceUpload:
		return "upload"
	case SourceBlacklist:
		return "blacklist"
	}
	return "unknown"
}

// Entry is one suppressed number.
type Entry struct {
	Key    uint64 // phone.Key of the E.164 number
	Time   int64  // unix seconds when it was added
	Source Source
	// Via names what prompted it: the campaign a reply answered (when
	// known), the uploaded object, or the campaign whose send was refused.
	Via string
}

// shard is the sorted entries of one of the 256 parts of the list.
type shard []Entry

const shardMagic = "SUP1"

var errCorruptShard = errors.New("audience: corrupt suppression shard")

// encode writes: magic, string table, then per entry the key delta, time,
// source and string index, all as uvarints. Numbers of one shard are close
// together, so a million entries take a few MB across all shards.
func (s shard) encode() []byte {
	idx := map[string]uint64{}
	var strs []string
	for _, e := range s {
		if _, ok := idx[e.Via]; !ok {
			idx[e.Via] = uint64(len(strs))
			strs = append(strs, e.Via)
		}
	}
	b := make([]byte, 0, 16+len(s)*10)
	b = append(b, shardMagic...)
	b = binary.AppendUvarint(b, uint64(len(strs)))
	for _, x := range strs {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	b = binary.AppendUvarint(b, uint64(len(s)))
	var prev uint64
	for _, e := range s {
		b = binary.AppendUvarint(b, e.Key-prev)
		prev = e.Key
		b = binary.AppendUvarint(b, uint64(max(e.Time, 0)))
		b = append(b, byte(e.Source))
		b = binary.AppendUvarint(b, idx[e.Via])
	}
	return b
}

// decodeShard reads a shard; with a key func, it calls key for each number
// without building entries (the job's fast path).
func decodeShard(b []byte, key func(uint64)) (shard, error) {
	if len(b) < len(shardMagic) || string(b[:len(shardMagic)]) != shardMagic {
		return nil, errCorruptShard
	}
	b = b[len(shardMagic):]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	ns, ok := next()
	if !ok || ns > uint64(len(b)) {
		return nil, errCorruptShard
	}
	strs := make([]string, ns)
	for i := range strs {
		l, ok := next()
		if !ok || l > uint64(len(b)) {
			return nil, errCorruptShard
		}
		strs[i] = string(b[:l])
		b = b[l:]
	}
	n, ok := next()
	if !ok || n > uint64(len(b)) {
		return nil, errCorruptShard
	}
	var out shard
	if key == nil {
		out = make(shard, 0, n)
	}
	var k uint64
	for range n {
		d, ok1 := next()
		t, ok2 := next()
		if !ok1 || !ok2 || len(b) == 0 {
			return nil, errCorruptShard
		}
		src := Source(b[0])
		b = b[1:]
		si, ok3 := next()
		if !ok3 || si >= ns {
			return nil, errCorruptShard
		}
		k += d
		if key != nil {
			key(k)
			continue
		}
		out = append(out, Entry{Key: k, Time: int64(t), Source: src, Via: strs[si]})
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", errCorruptShard, len(b))
	}
	return out, nil
}

// upsert merges add into s (both sorted by key, add without duplicates)
// and reports how many numbers were new. An existing reply opt-out keeps its
// source: a later upload or blacklist answer must not make it removable by
// unsuppress.
func (s shard) upsert(add []Entry) (shard, int) {
	out := make(shard, 0, len(s)+len(add))
	added, i, j := 0, 0, 0
	for i < len(s) || j < len(add) {
		switch {
		case j == len(add) || i < len(s) && s[i].Key < add[j].Key:
			out = append(out, s[i])
			i++
		case i == len(s) || add[j].Key < s[i].Key:
			out = append(out, add[j])
			added++
			j++
		default: // same number
			if s[i].Source == SourceReply {
				out = append(out, s[i])
			} else {
				out = append(out, add[j])
			}
			i++
			j++
		}
	}
	return out, added
}

// remove drops the numbers of keys (sorted) whose entry keep does not
// protect; it returns the removed entries.
func (s shard) remove(keys []uint64, keep func(Entry) bool) (shard, []Entry) {
	var gone []Entry
	out := s[:0:0]
	j := 0
	for _, e := range s {
		for j < len(keys) && keys[j] < e.Key {
			j++
		}
		if j < len(keys) && keys[j] == e.Key && !keep(e) {
			gone = append(gone, e)
			continue
		}
		out = append(out, e)
	}
	return out, gone
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// decodeLen returns the entry count of an encoded shard (0 if corrupt; the
// full decode reports that).
func decodeLen(b []byte) int {
	if len(b) < len(shardMagic) || string(b[:len(shardMagic)]) != shardMagic {
		return 0
	}
	b = b[len(shardMagic):]
	ns, n := binary.Uvarint(b)
	if n <= 0 {
		return 0
	}
	b = b[n:]
	for range ns {
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return 0
		}
		b = b[n+int(l):]
	}
	c, n := binary.Uvarint(b)
	if n <= 0 || c > uint64(len(b)) {
		return 0
	}
	return int(c)
}
