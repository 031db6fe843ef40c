package send

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/link"
)

// CampaignRecord is what get-scheme needs to answer ?c=<id>: the target and
// the validity window, from the manifest.
type CampaignRecord struct {
	ID         string
	Path       string
	Query      string
	EnvVersion string
	Start, End time.Time
	// Page is the manifest's page block for the H5 page.
	Page campaign.Page
}

// Links records campaigns and personal codes for get-scheme. functions/send-sms
// adapts *link.Registry to it; the job depends on this narrow view only.
type Links interface {
	// PutCampaign writes (or refreshes) the campaign record as active. An
	// error matching ErrInvalidCampaign fails the job as invalid_manifest.
	PutCampaign(ctx context.Context, c CampaignRecord) error
	// NewCode stores a personal code for one recipient and returns it. query
	// is the per-row target query ("" if the target is the same for all),
	// cq the per-recipient attribution appended to a shared scheme.
	NewCode(ctx context.Context, campaignID, query, cq string, ttl time.Duration) (string, error)
}

// Registry adapts *link.Registry (the records get-scheme reads) to Links.
func Registry(r *link.Registry, now func() time.Time) Links {
	if now == nil {
		now = time.Now
	}
	return registry{r: r, now: now}
}

type registry struct {
	r   *link.Registry
	now func() time.Time
}

// ErrInvalidCampaign: the manifest's campaign cannot be recorded as it is
// (no target path, a bad id…); fix the manifest.
var ErrInvalidCampaign = errors.New("send: campaign record rejected")

func (g registry) PutCampaign(ctx context.Context, c CampaignRecord) error {
	err := g.r.PutCampaign(ctx, link.Campaign{
		ID:     c.ID,
		Target: link.Target{Path: c.Path, Query: c.Query, EnvVersion: c.EnvVersion},
		Start:  c.Start, End: c.End, Status: link.StatusActive, UpdatedAt: g.now(),
		Page: pageRecord(c.Page),
	})
	if errors.Is(err, link.ErrInvalidCampaign) {
		return fmt.Errorf("%w: %w", ErrInvalidCampaign, err)
	}
	return err
}

func pageRecord(p campaign.Page) link.Page {
	lp := link.Page{Title: p.Title, Poster: p.Poster}
	if f := p.Fallback; f != nil {
		lp.Fallback = &link.Target{Path: f.Path, Query: f.Query}
	}
	return lp
}

func (g registry) NewCode(ctx context.Context, campaignID, query, cq string, ttl time.Duration) (string, error) {
	return g.r.NewCode(ctx, link.Code{Campaign: campaignID, Query: query, CQ: cq}, ttl)
}
