package scf

import (
	"errors"
	"fmt"
)

// ErrMalformed marks an event that cannot be decoded: invalid JSON, a field of
// an unexpected type, bad base64, a COS record without a key. Retrying the same
// event cannot succeed.
var ErrMalformed = errors.New("scf: malformed event")

// ErrWrongKind marks a well-formed event of another kind than the decoder
// expects, e.g. a timer event handed to ParseCOS. A function with several
// triggers should route with Kind first.
var ErrWrongKind = errors.New("scf: event of another kind")

// RecordError names the COS record that could not be decoded. It unwraps to
// ErrMalformed.
type RecordError struct {
	Index int   // position in Records, from 0
	Err   error // what is wrong with it
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("scf: COS record %d: %v", e.Index, e.Err)
}

func (e *RecordError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// malformed wraps err so that errors.Is(err, ErrMalformed) holds while the
// message keeps its context.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}
