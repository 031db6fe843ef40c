package scheme

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Generator calls wxa/generatescheme and wxa/generate_urllink;
// *wechat.Client implements it.
type Generator interface {
	GenerateScheme(ctx context.Context, accessToken string, req wechat.SchemeRequest) (wechat.Scheme, error)
	GenerateURLLink(ctx context.Context, accessToken string, req wechat.SchemeRequest) (wechat.URLLink, error)
}

// Tokens runs fn with an access token and handles a rejected one
// (40001/42001); *token.Source implements it.
type Tokens interface {
	Do(ctx context.Context, fn func(accessToken string) error) error
}

// Request is what a tapped link carries: c, k and cq of the query. The
// page sets URLLink (link=urllink) inside WeChat, whose web view blocks
// weixin:// schemes.
type Request struct {
	Campaign string
	Code     string
	CQ       string
	URLLink  bool
}

// Sources of a Result, for logs and tests.
const (
	SourceMemory    = "memory"    // this instance's cache
	SourceStore     = "store"     // the cache shared by every instance
	SourceGenerated = "generated" // a generatescheme or generate_urllink call
	SourcePlaintext = "plaintext" // built locally, no WeChat call
)

// Result is a scheme to open.
type Result struct {
	OpenLink  string // with &cq=… when the link carries attribution
	ExpiresAt time.Time
	Mode      string // ModeEncrypted, ModePlaintext or ModeURLLink
	Target    link.Target
	Source    string
	Page      link.Page // the campaign's title and poster for the page
}

// Service answers get-scheme requests. It is safe for concurrent use.
type Service struct {
	links  *link.Registry
	st     store.Store
	gen    Generator
	tokens Tokens
	opt    Options
	log    *slog.Logger

	mem       *memCache
	flight    singleflight.Group
	exhausted exhaustion
	limiter   *limiter
	codes     *codeLimiter
	// origins maps each allowed CORS origin to its header value.
	origins map[string][]string
}

// New returns a Service. In plaintext mode gen and tokens may be nil.
func New(links *link.Registry, st store.Store, gen Generator, tokens Tokens, opt Options) (*Service, error) {
	if err := opt.fill(); err != nil {
		return nil, err
	}
	if opt.Mode == ModeEncrypted && (gen == nil || tokens == nil) {
		return nil, fmt.Errorf("%w: encrypted mode needs a WeChat client and a token source", ErrOptions)
	}
	s := &Service{
		links: links, st: st, gen: gen, tokens: tokens, opt: opt, log: opt.Logger,
		mem:     newMemCache(opt.MemEntries),
		limiter: newLimiter(opt.RatePerMinute, opt.Burst, opt.MaxClients),
		// A minute's rate plus the burst: the bucket's most in any minute.
		codes:   newCodeLimiter(st, codeLookupsPerMinute(opt), time.Minute, opt.Now, opt.Logger),
		origins: make(map[string][]string, len(opt.AllowedOrigins)),
	}
	for _, o := range opt.AllowedOrigins {
		s.origins[o] = fixed(o)
	}
	return s, nil
}

// codeNATFactor widens the shared code-lookup limit over one instance's
// bucket: behind carrier NAT thousands of recipients share an address and
// tap their personal links within minutes of one SMS blast, while guessing
// a code of 8 characters out of 31 at even 10× the rate stays hopeless.
const codeNATFactor = 10

// codeLookupsPerMinute is the shared per-IP limit of personal-code lookups:
// the bucket's most in a minute (rate plus burst) times codeNATFactor.
func codeLookupsPerMinute(o Options) int {
	if o.RatePerMinute <= 0 {
		return 0
	}
	return (o.RatePerMinute + o.Burst) * codeNATFactor
}

// Open resolves a request to a scheme. Every check that needs no WeChat call
// comes first: a malformed or forged link, an unknown campaign or one
// outside its window never reaches WeChat. Errors wrap one Kind.
func (s *Service) Open(ctx context.Context, req Request) (Result, error) {
	if req.Campaign == "" {
		return Result{}, fmt.Errorf("%w: no campaign (c)", ErrBadRequest)
	}
	if !link.ValidCampaignID(req.Campaign) {
		return Result{}, fmt.Errorf("%w: malformed campaign id", ErrNotFound)
	}
	if req.Code != "" && !link.ValidCodeFormat(req.Code) {
		return Result{}, fmt.Errorf("%w: malformed code", ErrInvalidLink)
	}
	cq, err := link.CQ(req.CQ)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrBadRequest, err)
	}

	camp, err := s.links.Campaign(ctx, req.Campaign)
	switch {
	case errors.Is(err, link.ErrUnknownCampaign):
		return Result{}, fmt.Errorf("%w: %w", ErrNotFound, err)
	case err != nil:
		return Result{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	switch camp.Window(s.opt.Now()) {
	case link.NotStarted:
		return Result{}, fmt.Errorf("%w: starts %s", ErrNotStarted, camp.Start.Format(time.RFC3339))
	case link.Ended:
		return Result{}, ErrEnded
	}

	target := camp.Target
	if req.Code != "" {
		code, err := s.links.Resolve(ctx, req.Code)
		switch {
		case errors.Is(err, link.ErrInvalidCode):
			return Result{}, fmt.Errorf("%w: unknown code", ErrInvalidLink)
		case err != nil:
			return Result{}, fmt.Errorf("%w: %w", ErrUnavailable, err)
		case code.Campaign != camp.ID:
			// Same answer as an unknown code: a prober learns nothing.
			return Result{}, fmt.Errorf("%w: code of another campaign", ErrInvalidLink)
		}
		if code.Query != "" {
			target.Query = code.Query
		}
		if code.CQ != "" {
			if cq, err = link.CQ(code.CQ); err != nil {
				return Result{}, fmt.Errorf("%w: stored cq: %w", ErrInternal, err)
			}
		}
	}
	if target.EnvVersion == "" {
		target.EnvVersion = s.opt.EnvVersion
	}

	res, err := s.resolve(ctx, target, req.URLLink)
	if err != nil {
		return Result{}, err
	}
	res.Page = camp.Page
	if cq != "" {
		// A scheme has a query already; a URL Link has none (the docs'
		// ?cq= on a scheme breaks it, &cq= on a URL Link would too).
		sep := "&cq="
		if res.Mode == ModeURLLink {
			sep = "?cq="
		}
		res.OpenLink += sep + cq
	}
	return res, nil
}

// resolve returns the link that opens t: a URL Link when asked for one
// (WeChat's web view), else a scheme as configured.
func (s *Service) resolve(ctx context.Context, t link.Target, urlLink bool) (Result, error) {
	switch {
	case urlLink && s.gen == nil:
		return Result{}, fmt.Errorf("%w: URL Links need generation; SCHEME_MODE is plaintext", ErrUnavailable)
	case urlLink:
		return s.encrypted(ctx, t, kindURLLink)
	case s.opt.Mode == ModePlaintext:
		return s.plaintext(t)
	default:
		return s.encrypted(ctx, t, kindScheme)
	}
}

// plaintext builds the documented plaintext scheme: no WeChat call, no expiry.
func (s *Service) plaintext(t link.Target) (Result, error) {
	if err := wechat.ValidatePlaintextTarget(s.opt.AppID, t.Path, t.Query, t.EnvVersion); err != nil {
		return Result{}, fmt.Errorf("%w: %w", ErrInternal, err)
	}
	return Result{
		OpenLink: wechat.PlaintextScheme(s.opt.AppID, t.Path, t.Query, t.EnvVersion),
		Mode:     ModePlaintext,
		Target:   t,
		Source:   SourcePlaintext,
	}, nil
}
