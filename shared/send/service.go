package send

import (
	"context"
	"errors"
	"github.com/smsjump/smsjump/shared/audience"
	"log/slog"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
)

// Options configure a Service. Zero values take the defaults noted.
type Options struct {
	Bucket *blob.Bucket // uploads and reports; required
	// BucketName is name-appid of Bucket; events for other buckets are
	// ignored. Empty accepts any (a local bucket).
	BucketName string
	// KeyPrefix is where Bucket starts inside the COS bucket (a bucket URL
	// cos://b/campaigns/ gives "campaigns/"): event keys carry it, the
	// Bucket's keys do not.
	KeyPrefix string
	Store     store.Store // leases and checkpoints; required
	Sender    sms.Sender  // required
	Links     Links       // campaign records and personal codes; nil skips them
	// Audience, if set, leaves out numbers on the suppression list or over
	// the frequency cap (rows end not_sent, opted_out / frequency_capped),
	// records what marketing jobs sent, and lists numbers SendSms refused
	// as blacklisted.
	Audience *audience.Gate
	// OnObject, if set, sees every created object of a COS event before
	// the upload check and reports whether it took care of it (the
	// suppress/ and unsuppress/ lists); an error makes SCF retry.
	OnObject func(ctx context.Context, key string) (handled bool, err error)
	// OnTimer hooks run on every timer invocation after due jobs were
	// resumed (receipts, funnels); an error is logged and makes the
	// invocation fail so that SCF retries it.
	OnTimer []TimerHook
	// Defaults fill manifests (SMS_* and LINK_BASE_URL); CampaignID is
	// derived per upload.
	Defaults   campaign.Defaults
	EnvVersion string // WECHAT_ENV_VERSION, for campaign records
	// QPS is the account's SendSms rate (SMS_QPS); a manifest may only
	// lower it. Default 3000.
	QPS int
	// Workers sending at once; default QPS × 50 ms × 1.5 (enough to reach
	// QPS at 50 ms per call), between 4 and 256.
	Workers int
	// SafetyMargin before the SCF deadline; default 30 s.
	SafetyMargin time.Duration
	// WindowMargin: no batch is taken this close to the end of the send
	// window (a call in flight at 22:00 is refused); default 2 min.
	WindowMargin time.Duration
	// LeaseTTL; default 60 s, renewed every quarter.
	LeaseTTL time.Duration
	// CheckpointEvery; default 1 s (the contract is at least every 2 s).
	CheckpointEvery time.Duration
	// ManifestWait: how long a CSV whose manifest is required waits for
	// it (state waiting_manifest); default 30 min.
	ManifestWait time.Duration
	// ControlEvery: how often a running job looks for control/<name>.stop;
	// default 1 s.
	ControlEvery time.Duration
	// ProgressEvery writes progress.json; default 3 s.
	ProgressEvery time.Duration
	// Window is the most rows between the watermark and the reader; default 65536.
	Window int
	// CodeLength of personal codes, for rendering before the code exists; default 8.
	CodeLength int
	// CodeTTL of personal codes when the campaign has no end; default 30 days.
	CodeTTL time.Duration
	// MaxAttempts per number for transient errors; default 4. Rate-limit
	// answers get twice as many.
	MaxAttempts int
	// RetryBase is the first backoff; default 200 ms, doubling, jittered.
	RetryBase time.Duration
	// MaxStalledRuns: after this many resumes after a crash without
	// progress the job fails (crash_loop) instead of sending the reserved
	// rows again; default 2.
	MaxStalledRuns int
	// FinalCheckpointTries: the checkpoint after the workers stopped is
	// tried this often through store errors; default 8.
	FinalCheckpointTries int
	// Now is the clock of windows and reports; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service runs send-sms jobs.
type Service struct {
	o    Options
	log  *slog.Logger
	acct *accountRate // nil: the store cannot share the rate
}

// New checks o and fills defaults.
func New(o Options) (*Service, error) {
	switch {
	case o.Bucket == nil:
		return nil, errors.New("send: Options.Bucket is nil")
	case o.Store == nil:
		return nil, errors.New("send: Options.Store is nil")
	case o.Sender == nil:
		return nil, errors.New("send: Options.Sender is nil")
	}
	if o.QPS <= 0 {
		o.QPS = campaign.DefaultQPS
	}
	if o.SafetyMargin <= 0 {
		o.SafetyMargin = 30 * time.Second
	}
	if o.WindowMargin == 0 {
		o.WindowMargin = 2 * time.Minute
	}
	o.WindowMargin = max(0, o.WindowMargin)
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = time.Minute
	}
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = time.Second
	}
	if o.ManifestWait <= 0 {
		o.ManifestWait = 30 * time.Minute
	}
	if o.ControlEvery <= 0 {
		o.ControlEvery = time.Second
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 3 * time.Second
	}
	if o.Window <= 0 {
		o.Window = 1 << 16
	}
	if o.CodeLength <= 0 {
		o.CodeLength = 8
	}
	if o.CodeTTL <= 0 {
		o.CodeTTL = 30 * 24 * time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 200 * time.Millisecond
	}
	if o.MaxStalledRuns <= 0 {
		o.MaxStalledRuns = 2
	}
	if o.FinalCheckpointTries <= 0 {
		o.FinalCheckpointTries = 8
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Service{o: o, log: o.Logger, acct: newAccountRate(o.Store, o.QPS, o.Logger)}, nil
}

// workers is how many batches are sent at once for a job limited to qps.
func (s *Service) workers(qps int) int {
	if s.o.Workers > 0 {
		return s.o.Workers
	}
	return min(256, max(4, qps*3/40)) // qps × 0.05 s × 1.5
}
