package link

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/store"
)

// Store key prefixes. Versioned so a later change of the record format can
// live beside the old one.
const (
	campaignPrefix = "link/v1/campaign/"
	codePrefix     = "link/v1/code/"
)

// codeAttempts bounds the retries on a collision; with 40 bits per code a
// second attempt is already astronomically rare.
const codeAttempts = 5

// Options tune a Registry; zero values take the defaults.
type Options struct {
	// CodeLength is the length of new codes, 6–12 (default 8).
	CodeLength int
	Now        func() time.Time
}

// Registry stores campaigns and personal codes. It is safe for concurrent use.
type Registry struct {
	st     store.Store
	static map[string]Campaign
	opt    Options
}

// NewRegistry returns a registry over st. static holds the campaigns of
// STATIC_CAMPAIGNS, which take precedence over stored ones and are never
// written. A CodeLength outside 6–12 is clamped into that range.
func NewRegistry(st store.Store, static map[string]config.StaticCampaign, opts Options) *Registry {
	switch {
	case opts.CodeLength == 0:
		opts.CodeLength = DefaultCodeLength
	case opts.CodeLength < MinCodeLength:
		opts.CodeLength = MinCodeLength
	case opts.CodeLength > MaxCodeLength:
		opts.CodeLength = MaxCodeLength
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Registry{st: st, opt: opts, static: make(map[string]Campaign, len(static))}
	for id, sc := range static {
		r.static[id] = Campaign{
			ID:     id,
			Target: Target{Path: sc.Path, Query: sc.Query, EnvVersion: sc.EnvVersion},
			Start:  sc.Start,
			End:    sc.End,
			Status: StatusActive,
			Page:   Page{Title: sc.Title, Poster: sc.Poster},
		}
		if sc.FallbackPath != "" {
			c := r.static[id]
			c.Page.Fallback = &Target{Path: sc.FallbackPath}
			r.static[id] = c
		}
	}
	return r
}

// PutCampaign validates c and writes it, replacing an earlier record. An
// empty Status means active and a zero UpdatedAt is set to now. A campaign
// with an End is kept 30 days past it, so late taps still get "ended"
// rather than "not found".
func (r *Registry) PutCampaign(ctx context.Context, c Campaign) error {
	if c.Status == "" {
		c.Status = StatusActive
	}
	if err := c.validate(); err != nil {
		return err
	}
	if _, ok := r.static[c.ID]; ok {
		return fmt.Errorf("%w %q: configured in STATIC_CAMPAIGNS, which takes precedence", ErrInvalidCampaign, c.ID)
	}
	now := r.opt.Now()
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = now
	}
	var ttl time.Duration
	if !c.End.IsZero() {
		ttl = max(c.End.Add(30*24*time.Hour).Sub(now), time.Minute)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("link: encode campaign %q: %w", c.ID, err)
	}
	if err := r.st.Set(ctx, campaignPrefix+c.ID, b, ttl); err != nil {
		return fmt.Errorf("link: store campaign %q: %w", c.ID, err)
	}
	return nil
}

// Campaign returns campaign id: a static one first, then the store. A
// malformed id fails with ErrUnknownCampaign without touching the store.
func (r *Registry) Campaign(ctx context.Context, id string) (Campaign, error) {
	if !ValidCampaignID(id) {
		return Campaign{}, ErrUnknownCampaign
	}
	if c, ok := r.static[id]; ok {
		return c, nil
	}
	b, err := r.st.Get(ctx, campaignPrefix+id)
	if errors.Is(err, store.ErrNotFound) {
		return Campaign{}, fmt.Errorf("%w: %q", ErrUnknownCampaign, id)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("link: load campaign %q: %w", id, err)
	}
	var c Campaign
	if err := json.Unmarshal(b, &c); err != nil {
		return Campaign{}, fmt.Errorf("link: campaign %q: %w: %v", id, store.ErrCorrupt, err)
	}
	return c, nil
}

// NewCode stores c under a fresh random code valid for ttl (0: no expiry)
// and returns the code. The campaign id and the cq value are checked first
// (the campaign itself need not exist yet: send-sms may write it after).
func (r *Registry) NewCode(ctx context.Context, c Code, ttl time.Duration) (string, error) {
	if !ValidCampaignID(c.Campaign) {
		return "", fmt.Errorf("link: new code: %w: id %q", ErrUnknownCampaign, c.Campaign)
	}
	if _, err := CQ(c.CQ); err != nil {
		return "", fmt.Errorf("link: new code: %w", err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("link: encode code: %w", err)
	}
	for range codeAttempts {
		code, err := newCode(r.opt.CodeLength)
		if err != nil {
			return "", err
		}
		ok, err := r.st.SetIfAbsent(ctx, codePrefix+code, b, ttl)
		if err != nil {
			return "", fmt.Errorf("link: store code: %w", err)
		}
		if ok {
			return code, nil
		}
	}
	return "", fmt.Errorf("link: no free code after %d attempts of length %d; use a longer CodeLength", codeAttempts, r.opt.CodeLength)
}

// Resolve returns what code stands for. A malformed code fails with
// ErrInvalidCode without a store call; an unknown or expired one after
// exactly one Get.
func (r *Registry) Resolve(ctx context.Context, code string) (Code, error) {
	if !ValidCodeFormat(code) {
		return Code{}, ErrInvalidCode
	}
	b, err := r.st.Get(ctx, codePrefix+code)
	if errors.Is(err, store.ErrNotFound) {
		return Code{}, ErrInvalidCode
	}
	if err != nil {
		return Code{}, fmt.Errorf("link: load code %s: %w", Mask(code), err)
	}
	var c Code
	if err := json.Unmarshal(b, &c); err != nil {
		return Code{}, fmt.Errorf("link: code %s: %w: %v", Mask(code), store.ErrCorrupt, err)
	}
	return c, nil
}
