package link

import "errors"

// Error kinds callers branch on with errors.Is.
var (
	// ErrUnknownCampaign: no campaign has this id (or the id is malformed).
	ErrUnknownCampaign = errors.New("link: unknown campaign")
	// ErrInvalidCode: the code is malformed, unknown, expired or belongs to
	// another campaign. One kind for all, so a client learns nothing about
	// which part of a forged link was wrong.
	ErrInvalidCode = errors.New("link: invalid code")
	// ErrInvalidCampaign: a campaign record that cannot be stored as given.
	ErrInvalidCampaign = errors.New("link: invalid campaign")
	// ErrInvalidCQ: an attribution value longer than MaxCQ once encoded, or
	// not valid UTF-8 text.
	ErrInvalidCQ = errors.New("link: invalid cq")
)
