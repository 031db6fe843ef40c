package sms

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/smsjump/smsjump/shared/tccred"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
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

// Tencent is a Sender over Tencent Cloud SMS's SendSms. It is safe for
// concurrent use; workers of a job share one.
//
// It signs and sends its requests itself, exactly as tencentcloud-sdk-go
// would (TestSignMatchesSDK, TestActionsMatchSDK and FuzzBodyMatchesSDK
// compare the bytes), and reads each reply once; the SDK decodes a reply
// five times, which was most of send-sms's CPU, and its client was 0.42 MB
// of send-sms's binary.
type Tencent struct {
	region    string
	timeout   time.Duration
	creds     func() (tccred.Credentials, error)
	transport http.RoundTripper
	httpc     *http.Client
	log       *slog.Logger
	now       func() time.Time

	endpoint atomic.Pointer[endpoint]
	client   atomic.Pointer[tencentClient]
	mu       sync.Mutex // serialises client rebuilds
}

// tencentClient is bound to one credential snapshot and one endpoint; it is
// replaced, never mutated, when either changes.
type tencentClient struct {
	creds    tccred.Credentials
	endpoint endpoint
	url      string // scheme://host/path
	host     string // the signed Host header
	signer   *tc3Signer
}

// Request constants the SDK sends with every call.
const (
	sendSmsAction = "SendSms"
	apiVersion    = "2021-01-11"
	defaultDomain = "sms.tencentcloudapi.com"
	// requestClient names the caller in X-TC-RequestClient (not signed;
	// Tencent uses it for statistics).
	requestClient = "smsjump"
	// maxReplyBytes bounds a reply read into memory: 200 statuses are about
	// 40 KB.
	maxReplyBytes = 4 << 20
)

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
		now:       time.Now,
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
	t.httpc = &http.Client{
		Transport: t.transport,
		// A redirected SendSms would be a second send of a request that
		// has no idempotency key: take the redirect as the answer.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
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

// current returns the client for the current credentials and endpoint,
// building a new one when either changed. Building is cheap (no I/O); the
// connection pool lives in the shared transport.
func (t *Tencent) current() (*tencentClient, error) {
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
	// As the SDK's HttpProfile: the endpoint splits at its first '/' into
	// the Host and the path; the signature's canonical URI stays "/".
	host, path := ep.host, "/"
	if host == "" {
		host = defaultDomain
	}
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host, path = host[:i], host[i:]
	}
	c := &tencentClient{
		creds:    creds,
		endpoint: ep,
		url:      strings.ToLower(ep.scheme) + "://" + host + path,
		host:     host,
		signer:   &tc3Signer{secretID: creds.SecretID, secretKey: creds.SecretKey},
	}
	old := t.client.Load()
	t.client.Store(c)
	if old != nil && old.creds != creds {
		t.log.Info("sms: credentials changed, client rebuilt", slog.Any("credentials", creds))
	}
	if old == nil || old.endpoint != ep {
		t.log.Debug("sms: client built", slog.String("endpoint", ep.String()), slog.String("region", t.region))
	}
	return c, nil
}

// httpRequest builds the signed POST of action for body at unix time ts,
// with the headers the SDK sends.
func (t *Tencent) httpRequest(ctx context.Context, c *tencentClient, action string, body []byte, ts int64) (*http.Request, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Host = c.host
	h := hr.Header
	h["Content-Type"] = []string{tc3ContentType}
	h["X-Tc-Action"] = []string{action}
	h["X-Tc-Version"] = []string{apiVersion}
	h["X-Tc-Timestamp"] = []string{strconv.FormatInt(ts, 10)}
	h["X-Tc-Requestclient"] = []string{requestClient}
	h["X-Tc-Language"] = []string{"en-US"}
	h["X-Tc-Region"] = []string{t.region}
	if c.creds.SessionToken != "" {
		h["X-Tc-Token"] = []string{c.creds.SessionToken}
	}
	h["Authorization"] = []string{c.signer.authorization(c.host, ts, body)}
	return hr, nil
}

// Send makes one SendSms call. Statuses come back in request order; a
// number the reply did not mention gets CodeMissingStatus (Unknown).
func (t *Tencent) Send(ctx context.Context, req Request) ([]Status, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	c, err := t.current()
	if err != nil {
		return nil, err
	}
	body := appendSendSmsBody(make([]byte, 0, 128+len(req.Phones)*17), &req)

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
	hr, err := t.httpRequest(ctx, c, sendSmsAction, body, t.now().Unix())
	if err != nil {
		return nil, &Error{Code: "ClientError.BuildRequestError", Class: Fatal, Err: err}
	}
	rb := getReplyBuf()
	defer rb.release()
	reply, err := t.roundTrip(hr, len(req.Phones), rb)
	if err != nil {
		e := t.callError(err, req, wrote.Load())
		t.log.DebugContext(ctx, "sms: SendSms failed", slog.Int("phones", len(req.Phones)),
			slog.String("code", e.Code), slog.String("class", e.Class.String()),
			slog.String("request_id", e.RequestID), slog.Duration("took", time.Since(start)))
		return nil, e
	}
	if !reply.response {
		return nil, &Error{Code: CodeMissingStatus, Class: Unknown, Message: "reply without Response"}
	}
	out := statuses(req, reply.statuses)
	t.log.DebugContext(ctx, "sms: SendSms", slog.Int("phones", len(req.Phones)),
		slog.String("request_id", reply.requestID), slog.Duration("took", time.Since(start)))
	return out, nil
}

// roundTrip sends hr and reads its reply, reaching the verdict the SDK
// reaches (sendWithRateLimitRetry's TryReadErr, then ParseFromHttpResponse)
// for the same status and body.
// The reply lives in rb: nothing read from it may outlive rb.release
// (statuses copies what it keeps).
func (t *Tencent) roundTrip(hr *http.Request, phones int, rb *replyBuf) (*sendReply, error) {
	resp, err := t.httpc.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	size := 256 + 192*phones
	if n := resp.ContentLength; n > 0 && n <= maxReplyBytes {
		size = int(n) + 1 // +1: the read that sees EOF needs room
	}
	body, err := readAll(rb.body[:0], resp.Body, size)
	rb.body = body[:0]
	if err != nil {
		return nil, err
	}
	// The statuses keep substrings of the body until rb is released.
	return judge(&rb.reply, resp.StatusCode, resp.Status, unsafe.String(unsafe.SliceData(body), len(body)), phones)
}

// readAll reads r to its end into b (grown to about size bytes if it is
// smaller), at most maxReplyBytes.
func readAll(b []byte, r io.Reader, size int) ([]byte, error) {
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	for {
		if len(b) == cap(b) {
			if len(b) > maxReplyBytes {
				return nil, tcerr.NewTencentCloudSDKError("ClientError.IOError", fmt.Sprintf("reply longer than %d bytes", maxReplyBytes), "")
			}
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// judgeReply ranks what a reply says in the SDK's order: unreadable JSON,
// the request error envelope, the deprecated envelope, the HTTP status, then
// the result itself.
func judgeReply(code int, status, body string, phones int) (*sendReply, error) {
	return judge(new(sendReply), code, status, body, phones)
}

// judge is judgeReply decoding into r. Errors own their text (the body may
// be reused); a returned reply shares the body's memory.
func judge(r *sendReply, code int, status, body string, phones int) (*sendReply, error) {
	parseErr := func(cause error) error {
		return tcerr.NewTencentCloudSDKError("ClientError.ParseJsonError",
			fmt.Sprintf("Fail to parse json content: %s, because: %s", truncate(body, 512), cause), "")
	}
	err := r.decode(body, phones)
	switch {
	case err != nil:
		return nil, parseErr(err)
	case r.envelopeErr != nil:
		return nil, parseErr(r.envelopeErr)
	case r.errCode != "":
		return nil, tcerr.NewTencentCloudSDKError(strings.Clone(r.errCode), strings.Clone(r.errMsg), strings.Clone(r.requestID))
	case r.deprecatedErr != nil:
		return nil, parseErr(r.deprecatedErr)
	case r.depCode != 0:
		return nil, tcerr.NewTencentCloudSDKError(strings.Clone(r.depCodeDesc), strings.Clone(r.depMessage), "")
	case code != http.StatusOK:
		return nil, tcerr.NewTencentCloudSDKError("ClientError.HttpStatusCodeError",
			fmt.Sprintf("Request fail with http status code: %s, with body: %s", status, truncate(body, 512)), "")
	case r.statusErr != nil:
		return nil, parseErr(r.statusErr)
	}
	return r, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// callError turns a failed call into an *Error with its class.
func (t *Tencent) callError(err error, req Request, wrote bool) *Error {
	var sdk *tcerr.TencentCloudSDKError
	if !errors.As(err, &sdk) {
		// A transport error (dial, timeout, reset, broken body): only the
		// trace knows whether the request left.
		return &Error{Code: CodeNetwork, Class: transportClass(wrote), Message: networkMessage(err), Err: err}
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

// statuses lines the reply up with the request. Replies normally list the
// numbers in request order; any other shape goes through a map, the last
// status of a number winning. The statuses do not share the reply's memory
// (see owner), and land in req.Statuses when it has room.
func statuses(req Request, set []replyStatus) []Status {
	out := req.Statuses[:0]
	if cap(out) < len(req.Phones) {
		out = make([]Status, len(req.Phones))
	}
	out = out[:len(req.Phones)] // every element is assigned below
	// Serial numbers are about 25 bytes; a longer reply grows the arena,
	// which leaves the strings already taken where they are.
	o := owner{arena: make([]byte, 0, 32*len(req.Phones))}
	if len(set) == len(req.Phones) {
		inOrder := true
		for i := range set {
			if set[i].null || set[i].PhoneNumber != req.Phones[i] {
				inOrder = false
				break
			}
			out[i] = o.status(&set[i], req.Phones[i], req.SessionContext)
		}
		if inOrder {
			return out
		}
		o.arena = o.arena[:0] // what it held is overwritten below
	}
	byPhone := make(map[string]*replyStatus, len(set))
	for i := range set {
		if !set[i].null {
			byPhone[set[i].PhoneNumber] = &set[i]
		}
	}
	for i, p := range req.Phones {
		st, ok := byPhone[p]
		if !ok {
			out[i] = Status{Phone: p, Code: CodeMissingStatus, Message: "the reply has no status for this number", SessionContext: req.SessionContext}
			continue
		}
		out[i] = o.status(st, p, req.SessionContext)
	}
	return out
}

// String is for logs.
func (t *Tencent) String() string {
	return fmt.Sprintf("sms.Tencent{region:%s endpoint:%s}", t.region, t.endpoint.Load())
}
