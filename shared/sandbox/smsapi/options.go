package smsapi

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Defaults of the documented limits (SendSms API doc and the SMS console's
// default frequency policy).
const (
	DefaultQPS                 = 3000
	DefaultSameContentInterval = 30 * time.Second
	DefaultDailyLimit          = 10
	DefaultMaxSkew             = 300 * time.Second
	MaxPhonesPerRequest        = 200
	maxSessionContext          = 512
	maxBody                    = 1 << 20
)

// Options configure a Server. Zero values mean the documented defaults;
// negative limits disable the limit (load tests send far more than 10
// messages a day to one number).
type Options struct {
	// Addr is the listen address of Start; default 127.0.0.1:0.
	Addr string
	// Credentials maps SecretId to its key (and session token). Required.
	Credentials map[string]Credential
	// SdkAppIDs are the SMS applications of the account.
	SdkAppIDs []string
	// SignNames are the approved signatures.
	SignNames []string
	// Templates are the approved body templates by TemplateId.
	Templates map[string]Template
	// Regions accepted in X-TC-Region; default ap-guangzhou, ap-beijing,
	// ap-nanjing (the regions SMS is served from).
	Regions []string

	// QPS is the account's SendSms request rate per second (default 3000).
	QPS int
	// SameContentInterval is how long the same text may not be sent to the
	// same number again (default 30 s).
	SameContentInterval time.Duration
	// DailyLimit is how many messages one number may receive per Beijing
	// calendar day (default 10).
	DailyLimit int
	// AppDailyLimit is how many numbers the application may be sent per
	// Beijing day (the console's 发送量上限); 0 means none (the default).
	AppDailyLimit int
	// MaxParamLen limits each template parameter in characters, like new
	// accounts limited to 6; 0 means no limit.
	MaxParamLen int
	// MaxSkew is the allowed difference between X-TC-Timestamp and AuthNow
	// (default 300 s).
	MaxSkew time.Duration

	// KeepMessages keeps every accepted message for Messages(). Off, only
	// counters are kept, so a million-message load run stays under 100 MB.
	KeepMessages bool

	// Now drives the business rules: marketing hours, frequency limits, the
	// QPS window, message times. Default time.Now.
	Now func() time.Time
	// AuthNow is the clock X-TC-Timestamp is checked against. It is separate
	// from Now because the SDK always signs with the machine's real clock,
	// also when a test moves Now to 23:00. Default time.Now.
	AuthNow func() time.Time

	// Receipts decides delivery receipts (pull queue and status callback);
	// the zero value sends none. Change it later with SetReceiptPolicy.
	Receipts ReceiptPolicy

	// Faults to inject from the start; change them later with SetFaults.
	Faults Faults

	// Logger receives one debug line per rejected request; default discards.
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if len(o.Credentials) == 0 {
		return o, errors.New("smsapi: Options.Credentials is empty: give the sandbox at least one SecretId")
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if len(o.Regions) == 0 {
		o.Regions = []string{"ap-guangzhou", "ap-beijing", "ap-nanjing"}
	}
	if o.QPS == 0 {
		o.QPS = DefaultQPS
	}
	if o.SameContentInterval == 0 {
		o.SameContentInterval = DefaultSameContentInterval
	}
	if o.DailyLimit == 0 {
		o.DailyLimit = DefaultDailyLimit
	}
	if o.MaxSkew == 0 {
		o.MaxSkew = DefaultMaxSkew
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AuthNow == nil {
		o.AuthNow = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	for id, c := range o.Credentials {
		if id == "" || c.SecretKey == "" {
			return o, fmt.Errorf("smsapi: credential %q needs a SecretId and a SecretKey", id)
		}
	}
	return o, nil
}
