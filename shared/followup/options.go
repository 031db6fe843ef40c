package followup

import (
	"context"
	"log/slog"
	"time"

	"github.com/smsjump/smsjump/shared/sms"
)

// Options configure a Followup. Zero durations take the defaults noted.
type Options struct {
	// Window: receipts are matched and reports refreshed this long after a
	// job's last send (RECEIPT_WINDOW; default 72h).
	Window time.Duration
	// LateGrace: a receipt for a job whose window ended less than this ago
	// is counted as late (and ignored); after it, as unknown. Default 7 days.
	LateGrace time.Duration
	// UnknownGrace: a receipt no job claims stays in the inbox this long,
	// since a push can arrive before the job has written its result;
	// then it is counted as unknown and dropped. Default 6h.
	UnknownGrace time.Duration
	// Refresh: an unchanged job's report is rebuilt at most this often
	// (default 10m); new receipts rebuild it at once.
	Refresh time.Duration

	// Puller pulls receipts (SMS_RECEIPT_PULL); nil: push only.
	Puller   sms.StatusPuller
	SdkAppID string
	// MaxPulls bounds PullSmsSendStatus calls per tick (default 50: 5,000 receipts).
	MaxPulls int
	// MaxBatches bounds inbox objects read per tick (default 500).
	MaxBatches int

	// CodeRow maps a personal code to its row in the job (from the code's
	// cq "r<row>"); nil: per-row opens are left out.
	CodeRow func(ctx context.Context, code string) (int, bool)

	Now    func() time.Time
	Logger *slog.Logger
}

func (o *Options) fill() {
	if o.Window <= 0 {
		o.Window = 72 * time.Hour
	}
	if o.LateGrace <= 0 {
		o.LateGrace = 7 * 24 * time.Hour
	}
	if o.UnknownGrace <= 0 {
		o.UnknownGrace = 6 * time.Hour
	}
	if o.Refresh <= 0 {
		o.Refresh = 10 * time.Minute
	}
	if o.MaxPulls <= 0 {
		o.MaxPulls = 50
	}
	if o.MaxBatches <= 0 {
		o.MaxBatches = 500
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}
