package store

import (
	"encoding/binary"
	"fmt"
	"time"
)

// A COS value is stored as a small envelope: magic, expiry, value. Keeping
// the expiry in the body rather than in metadata headers means one GET
// returns both, and a copied object keeps its expiry.
//
//	"sjs1" | expiry as Unix nanoseconds, int64 big-endian, 0 = never | value
const (
	envelopeMagic  = "sjs1"
	envelopeHeader = len(envelopeMagic) + 8
)

// encodeEnvelope wraps value with its expiry (zero time = never expires).
func encodeEnvelope(value []byte, expiry time.Time) []byte {
	b := make([]byte, envelopeHeader+len(value))
	copy(b, envelopeMagic)
	var ns int64
	if !expiry.IsZero() {
		ns = expiry.UnixNano()
	}
	binary.BigEndian.PutUint64(b[len(envelopeMagic):], uint64(ns))
	copy(b[envelopeHeader:], value)
	return b
}

// decodeEnvelope splits an envelope; value aliases b.
func decodeEnvelope(b []byte) (value []byte, expiry time.Time, err error) {
	if len(b) < envelopeHeader || string(b[:len(envelopeMagic)]) != envelopeMagic {
		return nil, time.Time{}, fmt.Errorf("%w: cos object is not a store envelope (%d bytes)", ErrCorrupt, len(b))
	}
	ns := int64(binary.BigEndian.Uint64(b[len(envelopeMagic):]))
	switch {
	case ns < 0:
		return nil, time.Time{}, fmt.Errorf("%w: negative expiry in cos object", ErrCorrupt)
	case ns > 0:
		expiry = time.Unix(0, ns)
	}
	return b[envelopeHeader:], expiry, nil
}

// expiredAt reports whether an envelope's expiry has passed at now; it
// matches the other backends (expired from the expiry instant on).
func expiredAt(expiry, now time.Time) bool {
	return !expiry.IsZero() && !now.Before(expiry)
}
