package link

import (
	"fmt"
	"time"
)

// Campaign statuses. Only StatusEnded closes a campaign's links; paused
// refers to sending, and links already delivered keep working.
const (
	StatusActive = "active"
	StatusPaused = "paused"
	StatusEnded  = "ended"
)

// Target is the mini-program page a link opens; the appid comes from
// configuration. An empty EnvVersion means the configured default.
type Target struct {
	Path       string `json:"path"`
	Query      string `json:"query,omitempty"`
	EnvVersion string `json:"env_version,omitempty"`
}

// Campaign gives links their target, validity window and status. A zero
// Start or End leaves that side of the window open.
type Campaign struct {
	ID        string    `json:"id"`
	Target    Target    `json:"target"`
	Start     time.Time `json:"start,omitzero"`
	End       time.Time `json:"end,omitzero"`
	Status    string    `json:"status"`
	Page      Page      `json:"page,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Window positions of a campaign at some instant.
const (
	Open       = iota // links work
	NotStarted        // before Start
	Ended             // at or after End, or status ended
)

// Window says where now falls in the campaign's validity.
func (c Campaign) Window(now time.Time) int {
	switch {
	case c.Status == StatusEnded:
		return Ended
	case !c.Start.IsZero() && now.Before(c.Start):
		return NotStarted
	case !c.End.IsZero() && !now.Before(c.End):
		return Ended
	}
	return Open
}

// validate reports what makes c unstorable, wrapped in ErrInvalidCampaign.
func (c Campaign) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidCampaign, c.ID, fmt.Sprintf(format, args...))
	}
	switch {
	case !ValidCampaignID(c.ID):
		return bad("id must be 1–32 of a-z 0-9 _ -")
	case c.Target.Path == "" || c.Target.Path == "/":
		return bad("target needs a path, e.g. pages/index/index")
	case c.Status != StatusActive && c.Status != StatusPaused && c.Status != StatusEnded:
		return bad("status %q: use active, paused or ended", c.Status)
	case !c.Start.IsZero() && !c.End.IsZero() && !c.End.After(c.Start):
		return bad("ends before it starts")
	}
	switch c.Target.EnvVersion {
	case "", "release", "trial", "develop":
	default:
		return bad("env_version %q: use release, trial or develop", c.Target.EnvVersion)
	}
	if err := c.Page.Validate(); err != nil {
		return bad("%v", err)
	}
	return nil
}

// ValidCampaignID reports whether id is 1–32 of [a-z0-9_-].
func ValidCampaignID(id string) bool {
	if len(id) == 0 || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
