package scheme

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/wechat"
)

// Modes of SCHEME_MODE.
const (
	ModeEncrypted = "encrypted"
	ModePlaintext = "plaintext"
	// ModeURLLink is not a SCHEME_MODE: it names answers that carry a URL
	// Link (asked for with link=urllink) in place of a scheme.
	ModeURLLink = "urllink"
)

// Options configure a Service. FromConfig fills them from the environment.
type Options struct {
	AppID      string
	EnvVersion string // default env_version of targets without one (release)
	Mode       string // ModeEncrypted (default) or ModePlaintext
	TTLDays    int    // validity asked for encrypted schemes, 1–30 (default 30)
	// FallbackPlaintext serves a plaintext scheme when WeChat is out of
	// generation quota or opens.
	FallbackPlaintext bool
	// Margin: a cached scheme is served only while it has more than this
	// left (default 1h).
	Margin time.Duration

	// FallbackPath is the page offered when a link's campaign is closed,
	// unknown or forged and names no fallback of its own ("" offers none).
	FallbackPath string

	// Signer signs pages for the JS-SDK (…/jssdk); nil turns it off.
	Signer Signer

	AllowedOrigins []string // exact CORS origins
	// RatePerMinute and Burst are the per-client-IP token bucket of each
	// instance; a zero RatePerMinute turns the limits off. Lookups of
	// personal codes also share (RatePerMinute+Burst)×10 per minute per IP
	// across instances through the store (1 500 with the defaults, so that
	// carrier NAT does not lock recipients out). MaxClients bounds the
	// buckets kept in memory (default 10 000).
	RatePerMinute int
	Burst         int
	MaxClients    int

	// Backoff is the first wait after WeChat's 44990 (default 100ms); it
	// doubles while the request deadline (or BackoffBudget without one,
	// default 2s) leaves room.
	Backoff       time.Duration
	BackoffBudget time.Duration
	// LockTTL bounds how long instances wait for another one generating the
	// same target (default 5s).
	LockTTL time.Duration
	// MemEntries bounds the in-memory scheme cache (default 4096).
	MemEntries int

	// OnOpen, if set, is called after a scheme was written to the page
	// (the funnel counts the open there); it must be quick and not fail.
	OnOpen func(r *http.Request, campaign, code string)

	Now    func() time.Time
	Logger *slog.Logger
}

// FromConfig returns the options that the configuration sets.
func FromConfig(cfg *config.Config, log *slog.Logger) Options {
	return Options{
		AppID:             cfg.WeChat.AppID,
		EnvVersion:        cfg.WeChat.EnvVersion,
		Mode:              cfg.Scheme.Mode,
		TTLDays:           cfg.Scheme.TTLDays,
		FallbackPlaintext: cfg.Scheme.FallbackPlaintext,
		Margin:            cfg.Scheme.CacheMargin,
		FallbackPath:      cfg.Link.FallbackPath,
		AllowedOrigins:    cfg.CORS.AllowedOrigins,
		RatePerMinute:     cfg.RateLimit.PerMinute,
		Burst:             cfg.RateLimit.Burst,
		Logger:            log,
	}
}

// ConfigNeeds is what get-scheme requires of the environment: the WeChat
// secret only when schemes are generated.
func ConfigNeeds(getenv func(string) string) []config.Need {
	if getenv("SCHEME_MODE") == ModePlaintext {
		return []config.Need{config.NeedStore}
	}
	return []config.Need{config.NeedWeChat, config.NeedStore}
}

// ErrOptions wraps every problem New finds in its options.
var ErrOptions = errors.New("scheme: invalid options")

func (o *Options) fill() error {
	if o.AppID == "" {
		return fmt.Errorf("%w: no AppID; set WECHAT_APPID", ErrOptions)
	}
	if o.EnvVersion == "" {
		o.EnvVersion = wechat.EnvRelease
	}
	if o.Mode == "" {
		o.Mode = ModeEncrypted
	}
	if o.Mode != ModeEncrypted && o.Mode != ModePlaintext {
		return fmt.Errorf("%w: mode %q; set SCHEME_MODE to encrypted or plaintext", ErrOptions, o.Mode)
	}
	if o.TTLDays == 0 {
		o.TTLDays = wechat.MaxExpireDays
	}
	if o.TTLDays < 1 || o.TTLDays > wechat.MaxExpireDays {
		return fmt.Errorf("%w: TTLDays %d outside 1–30", ErrOptions, o.TTLDays)
	}
	if o.Margin <= 0 {
		o.Margin = time.Hour
	}
	if o.Margin >= time.Duration(o.TTLDays)*24*time.Hour/2 {
		return fmt.Errorf("%w: margin %s leaves too little of a %d-day scheme; lower SCHEME_CACHE_MARGIN", ErrOptions, o.Margin, o.TTLDays)
	}
	if o.Burst <= 0 {
		o.Burst = 30
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 10000
	}
	if o.Backoff <= 0 {
		o.Backoff = 100 * time.Millisecond
	}
	if o.BackoffBudget <= 0 {
		o.BackoffBudget = 2 * time.Second
	}
	if o.LockTTL <= 0 {
		o.LockTTL = 5 * time.Second
	}
	if o.MemEntries <= 0 {
		o.MemEntries = 4096
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return nil
}
