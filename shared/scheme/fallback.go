package scheme

import (
	"context"
	"errors"

	"github.com/smsjump/smsjump/shared/link"
)

// ClosedInfo is what an error answer tells the page about a link that
// cannot open its target: when the campaign runs, its page block, and a
// way into the mini-program elsewhere, so that no link is a dead end.
type ClosedInfo struct {
	StartsAt int64         `json:"starts_at,omitempty"` // unix s; not_started
	EndedAt  int64         `json:"ended_at,omitempty"`  // unix s; ended by its window
	Title    string        `json:"title,omitempty"`
	Poster   string        `json:"poster,omitempty"`
	Fallback *FallbackLink `json:"fallback,omitempty"`
}

// FallbackLink is a link to the fallback page, of the kind the request
// asked for (scheme or URL Link).
type FallbackLink struct {
	OpenLink  string `json:"openlink"`
	ExpiresAt int64  `json:"expires_at"`
	Mode      string `json:"mode"`
	Path      string `json:"path"`
}

// closed builds the extras of a not_found, invalid_link, not_started or
// ended answer. Unknown and forged links get the same fallback as closed
// ones: the campaign's if the id names one, else FALLBACK_PATH. The
// fallback target is cached like any other, so a flood of forged links
// costs at most one generation per fallback page.
func (s *Service) closed(ctx context.Context, req Request, k *Kind) *ClosedInfo {
	info := &ClosedInfo{}
	var fb *link.Target
	if link.ValidCampaignID(req.Campaign) {
		if camp, err := s.links.Campaign(ctx, req.Campaign); err == nil {
			info.Title, info.Poster = camp.Page.Title, camp.Page.Poster
			fb = camp.Page.Fallback
			switch {
			case k == ErrNotStarted && !camp.Start.IsZero():
				info.StartsAt = camp.Start.Unix()
			case k == ErrEnded && !camp.End.IsZero() && !camp.End.After(s.opt.Now()):
				info.EndedAt = camp.End.Unix()
			}
		} else if !errors.Is(err, link.ErrUnknownCampaign) {
			s.log.WarnContext(ctx, "campaign read for the fallback failed", "err", err)
		}
	}
	if fb == nil && s.opt.FallbackPath != "" {
		fb = &link.Target{Path: s.opt.FallbackPath}
	}
	if fb != nil {
		t := *fb
		if t.EnvVersion == "" {
			t.EnvVersion = s.opt.EnvVersion
		}
		if res, err := s.resolve(ctx, t, req.URLLink); err == nil {
			info.Fallback = &FallbackLink{OpenLink: res.OpenLink, Mode: res.Mode, Path: t.Path}
			if !res.ExpiresAt.IsZero() {
				info.Fallback.ExpiresAt = res.ExpiresAt.Unix()
			}
		} else {
			s.log.WarnContext(ctx, "fallback link unavailable", "err", err)
		}
	}
	if *info == (ClosedInfo{}) {
		return nil
	}
	return info
}

// closedKinds are the answers that get ClosedInfo.
func closedKind(k *Kind) bool {
	return k == ErrNotFound || k == ErrInvalidLink || k == ErrNotStarted || k == ErrEnded
}
