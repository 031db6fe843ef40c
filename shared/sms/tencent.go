package sms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/tccred"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	smsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

// DefaultRegion is where SendSms is called unless configured (SMS_REGION).
const DefaultRegion = "ap-guangzhou"

// DefaultTimeout bounds one SendSms call.
const DefaultTimeout = 10 * time.Second

// TencentConfig configures Tencent.
type TencentConfig struct {
	// Region is the API region; default ap-guangzhou.
	Region string
	// Endpoint overrides the API server (SMS_ENDPOINT), e.g.
	// http://127.0.0.1:PORT for the sandbox; empty means the SDK default.
	Endpoint string
	// Timeout bounds one call, including reading the reply; default 10 s.
	Timeout time.Duration
	// Credentials is asked before every call, so that credentials SCF
	// rotates are picked up; default tccred.FromEnv.
	Credentials func() (tccred.Credentials, error)
	// Transport carries the calls; default a pooled http.Transport sized
	// for many concurrent workers. All clients of one Tencent share it.
	Transport http.RoundTripper
	// Logger gets debug lines per call (no phone numbers) and a line when
	// credentials rotate; default slog.Default().
	Logger *slog.Logger
}

// Tencent is a Sender over tencentcloud-sdk-go's SendSms. It is safe for
// concurrent use; workers of a job share one.
type Tencent struct {
	region    string
	timeout   time.Duration
	creds     func() (tccred.Credentials, error)
	transport http.RoundTripper
	log       *slog.Logger

	endpoint atomic.Pointer[endpoint]
	client   atomic.Pointer[tencentClient]
	mu       sync.Mutex // serialises client rebuilds
}

// tencentClient is an SDK client bound to one credential snapshot and one
// endpoint; it is replaced, never mutated, when either changes.
type tencentClient struct {
	creds    tccred.Credentials
	endpoint endpoint
	sdk      *smsapi.Client
}

var _ Sender = (*Tencent)(nil)

// NewTencent builds a Tencent sender; it reads no credentials yet.
func NewTencent(cfg TencentConfig) (*Tencent, error) {
	ep, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	t := &Tencent{
		region:    cfg.Region,
		timeout:   cfg.Timeout,
		creds:     cfg.Credentials,
		transport: cfg.Transport,
		log:       cfg.Logger,
	}
	if t.region == "" {
		t.region = DefaultRegion
	}
	if t.timeout <= 0 {
		t.timeout = DefaultTimeout
	}
	if t.creds == nil {
		t.creds = tccred.FromEnv
	}
	if t.transport == nil {
		t.transport = newTransport()
	}
	if t.log == nil {
		t.log = slog.Default()
	}
	t.endpoint.Store(&ep)
	return t, nil
}

// newTransport is http.DefaultTransport with a connection pool large enough
// that a few dozen workers at 3000 requests/s reuse connections instead of
// opening one per call (the default keeps 2 idle per host).
func newTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 256
	tr.IdleConnTimeout = 30 * time.Second
	return tr
}

// SetEndpoint moves later calls to another server (failover to another
// regional domain, or a restarted sandbox). Calls in flight finish where
// they started.
func (t *Tencent) SetEndpoint(rawURL string) error {
	ep, err := parseEndpoint(rawURL)
	if err != nil {
		return err
	}
	t.endpoint.Store(&ep)
	return nil
}

// sdkClient returns the client for the current credentials and endpoint,
// building a new one when either changed. Building is cheap (no I/O); the
// connection pool lives in the shared transport.
func (t *Tencent) sdkClient() (*tencentClient, error) {
	creds, err := t.creds()
	if err != nil {
		return nil, &Error{Code: CodeCredentials, Class: Fatal, Hint: Explain(CodeCredentials, Request{}), Err: err}
	}
	ep := *t.endpoint.Load()
	if c := t.client.Load(); c != nil && c.creds == creds && c.endpoint == ep {
		return c, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c := t.client.Load(); c != nil && c.creds == creds && c.endpoint == ep {
		return c, nil
	}
	prof := profile.NewClientProfile()
	prof.Language = "en-US"
	prof.HttpProfile.ReqMethod = http.MethodPost
	prof.HttpProfile.Scheme = ep.scheme
	prof.HttpProfile.Endpoint = ep.host
	// Timeout comes from the call's context; the SDK's is whole seconds.
	prof.HttpProfile.ReqTimeout = 0
	// No SDK retries: SendSms has no idempotency key, so only the job,
	// which knows what was already sent, may decide to send again.
	prof.NetworkFailureMaxRetries = 0
	prof.RateLimitExceededMaxRetries = 0
	prof.UnsafeRetryOnConnectionFailure = false
	prof.DisableRegionBreaker = true
	sdk, err := smsapi.NewClient(common.NewTokenCredential(creds.SecretID, creds.SecretKey, creds.SessionToken), t.region, prof)
	if err != nil {
		return nil, &Error{Code: "ClientError.BuildRequestError", Class: Fatal, Err: err}
	}
	// NewClient gave the client its own http.Client (unless someone set the
	// SDK-global common.DefaultHttpClient, which this module never does), so
	// swapping in the shared transport touches nothing global.
	sdk.WithHttpTransport(t.transport)
	old := t.client.Load()
	c := &tencentClient{creds: creds, endpoint: ep, sdk: sdk}
	t.client.Store(c)
	if old != nil && old.creds != creds {
		t.log.Info("sms: credentials changed, client rebuilt", slog.Any("credentials", creds))
	}
	if old == nil || old.endpoint != ep {
		t.log.Debug("sms: client built", slog.String("endpoint", ep.String()), slog.String("region", t.region))
	}
	return c, nil
}

// Send makes one SendSms call. Statuses come back in request order; a
// number the reply did not mention gets CodeMissingStatus (Unknown).
func (t *Tencent) Send(ctx context.Context, req Request) ([]Status, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	c, err := t.sdkClient()
	if err != nil {
		return nil, err
	}
	// A new request object per call: the SDK writes the endpoint into the
	// request the first time it is sent and never updates it.
	r := smsapi.NewSendSmsRequest()
	r.PhoneNumberSet = common.StringPtrs(req.Phones)
	r.SmsSdkAppId = common.StringPtr(req.SdkAppID)
	r.TemplateId = common.StringPtr(req.TemplateID)
	if req.SignName != "" {
		r.SignName = common.StringPtr(req.SignName)
	}
	if len(req.Params) > 0 {
		r.TemplateParamSet = common.StringPtrs(req.Params)
	}
	if req.SessionContext != "" {
		r.SessionContext = common.StringPtr(req.SessionContext)
	}

	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	// Whether the whole request was written decides between "safe to
	// retry" (dial failed, or the write broke off: the server cannot act on
	// half a body) and "maybe sent" (written, then no complete reply).
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				wrote.Store(true)
			}
		},
	})

	start := time.Now()
	resp, err := c.sdk.SendSmsWithContext(ctx, r)
	if err != nil {
		e := t.callError(err, req, wrote.Load())
		t.log.DebugContext(ctx, "sms: SendSms failed", slog.Int("phones", len(req.Phones)),
			slog.String("code", e.Code), slog.String("class", e.Class.String()),
			slog.String("request_id", e.RequestID), slog.Duration("took", time.Since(start)))
		return nil, e
	}
	if resp.Response == nil {
		return nil, &Error{Code: CodeMissingStatus, Class: Unknown, Message: "reply without Response"}
	}
	out := statuses(req, resp.Response.SendStatusSet)
	t.log.DebugContext(ctx, "sms: SendSms", slog.Int("phones", len(req.Phones)),
		slog.String("request_id", deref(resp.Response.RequestId)), slog.Duration("took", time.Since(start)))
	return out, nil
}

// callError turns an SDK failure into an *Error with its class.
func (t *Tencent) callError(err error, req Request, wrote bool) *Error {
	var sdk *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdk) {
		return &Error{Code: CodeNetwork, Class: transportClass(wrote), Err: err}
	}
	if sdk.Code == CodeNetwork {
		// The SDK wraps every transport error (dial, timeout, reset) in
		// this code; only the trace knows whether the request left.
		return &Error{Code: CodeNetwork, Class: transportClass(wrote), Message: networkMessage(errors.Unwrap(sdk)), Err: errors.Unwrap(sdk)}
	}
	class := Classify(sdk.Code)
	return &Error{
		Code:      sdk.Code,
		Message:   sdk.Message,
		RequestID: sdk.RequestId,
		Class:     class,
		Hint:      Explain(sdk.Code, req),
	}
}

func transportClass(wrote bool) Class {
	if wrote {
		return Unknown
	}
	return Transient
}

// networkMessage says in a few words what went wrong in transport.
func networkMessage(cause error) string {
	var ne net.Error
	switch {
	case cause == nil:
		return "network error"
	case errors.Is(cause, context.DeadlineExceeded) || (errors.As(cause, &ne) && ne.Timeout()):
		return "timed out"
	case errors.Is(cause, context.Canceled):
		return "canceled"
	}
	var oe *net.OpError
	if errors.As(cause, &oe) && oe.Op == "dial" {
		return "could not connect"
	}
	return "connection failed"
}

// statuses lines the reply up with the request.
func statuses(req Request, set []*smsapi.SendStatus) []Status {
	byPhone := make(map[string]*smsapi.SendStatus, len(set))
	for _, st := range set {
		if st != nil && st.PhoneNumber != nil {
			byPhone[*st.PhoneNumber] = st
		}
	}
	out := make([]Status, len(req.Phones))
	for i, p := range req.Phones {
		st, ok := byPhone[p]
		if !ok {
			out[i] = Status{Phone: p, Code: CodeMissingStatus, Message: "the reply has no status for this number", SessionContext: req.SessionContext}
			continue
		}
		out[i] = Status{
			Phone:          p,
			SerialNo:       deref(st.SerialNo),
			Code:           deref(st.Code),
			Message:        deref(st.Message),
			SessionContext: deref(st.SessionContext),
			IsoCode:        deref(st.IsoCode),
		}
		if st.Fee != nil {
			out[i].Fee = int(*st.Fee)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// String is for logs.
func (t *Tencent) String() string {
	return fmt.Sprintf("sms.Tencent{region:%s endpoint:%s}", t.region, t.endpoint.Load())
}
