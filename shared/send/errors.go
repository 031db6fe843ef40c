package send

import "errors"

// Error kinds callers act on.
var (
	// ErrUploadChanged: the object was replaced after the event; the new
	// version brings its own event.
	ErrUploadChanged = errors.New("send: upload changed since the event")
	// ErrLeaseLost: another invocation took the job over (this one stalled
	// past the lease TTL); this one stops sending at once.
	ErrLeaseLost = errors.New("send: job lease lost")
	// ErrBadState: the stored job state cannot be decoded.
	ErrBadState = errors.New("send: corrupt job state")
)
