package smsapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the sandbox SMS API, an http.Handler. Start serves it on
// loopback; New alone lets a caller mount it elsewhere.
type Server struct {
	opts    Options
	apps    map[string]bool
	regions map[string]bool

	// catMu guards the approved signatures and templates, which Approve and
	// ApproveSign may change while requests are served.
	catMu     sync.RWMutex
	signs     map[string]bool
	templates map[string]*compiled
	review    reviewBook // applications in review or rejected

	creds  atomic.Pointer[credSet]
	faults atomic.Pointer[faultPlan]
	qps    qpsWindow

	idPrefix string
	idSeq    atomic.Uint64

	mu  sync.Mutex
	box outbox
	// Under mu too: the reply queues per SdkAppId, the reply callback URL
	// and the console's 退订 list (kept across Reset, like configuration).
	replies  map[string][]pulledReply
	replyURL string
	black    map[uint64]bool
	pullQPS  qpsWindow
	// Under mu too: the receipt queues per SdkAppId (PullSmsSendStatus),
	// the status callback URL and the policy deciding receipts.
	statuses      map[string][]pulledStatus
	statusURL     string
	receiptPolicy ReceiptPolicy
	statusQPS     qpsWindow

	subsMu   sync.Mutex
	subsView atomic.Pointer[[]*subscriber]

	httpSrv   *http.Server
	url       string
	closed    chan struct{}
	closeOnce sync.Once
}

var _ http.Handler = (*Server)(nil)

// New builds a Server from opts without listening.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:          opts,
		apps:          setOf(opts.SdkAppIDs),
		signs:         setOf(opts.SignNames),
		regions:       setOf(opts.Regions),
		templates:     make(map[string]*compiled, len(opts.Templates)),
		box:           newOutbox(),
		replies:       make(map[string][]pulledReply),
		black:         make(map[uint64]bool),
		statuses:      make(map[string][]pulledStatus),
		receiptPolicy: opts.Receipts,
		closed:        make(chan struct{}),
	}
	for id, t := range opts.Templates {
		c, err := compileTemplate(id, t)
		if err != nil {
			return nil, err
		}
		s.templates[id] = c
	}
	s.creds.Store(newCredSet(opts.Credentials))
	if err := s.SetFaults(opts.Faults); err != nil {
		return nil, err
	}
	s.subsView.Store(&[]*subscriber{})
	var b [6]byte
	_, _ = rand.Read(b[:])
	s.idPrefix = hex.EncodeToString(b[:4]) + "-" + hex.EncodeToString(b[4:]) + "-4"
	return s, nil
}

// ErrTemplateChanged refuses a second approval of a template id with another
// text (or type): in the SMS console an approved template's text is fixed, a
// new text is a new template with a new id, and SendSms keeps sending the
// approved text whatever a manifest says.
var ErrTemplateChanged = errors.New("smsapi: template already approved with another text")

// Approve approves template id, as if the operator had it approved in the
// SMS console while the sandbox runs (the emulator approves the template of
// each manifest uploaded). The first text seen for an id wins: approving the
// same text again is a no-op, another text or type fails with
// ErrTemplateChanged and leaves the approved one in place.
func (s *Server) Approve(id string, t Template) error {
	c, err := compileTemplate(id, t)
	if err != nil {
		return err
	}
	s.catMu.Lock()
	defer s.catMu.Unlock()
	if old, ok := s.templates[id]; ok {
		if old.Text != c.Text || old.Type != c.Type || old.International != c.International || old.Params != c.Params {
			return fmt.Errorf("%w: template %s is approved as %s %q; the new %s text %q is not approved (production sends the approved one)",
				ErrTemplateChanged, id, old.Type, old.Text, c.Type, c.Text)
		}
		return nil
	}
	s.templates[id] = c
	return nil
}

// Template returns the approved template id, as DescribeSmsTemplateList
// would show it.
func (s *Server) Template(id string) (Template, bool) {
	s.catMu.RLock()
	defer s.catMu.RUnlock()
	c, ok := s.templates[id]
	if !ok {
		return Template{}, false
	}
	return c.Template, true
}

// ApproveSign adds an approved signature.
func (s *Server) ApproveSign(name string) {
	s.catMu.Lock()
	s.signs[name] = true
	s.catMu.Unlock()
}

// approved returns the template and whether the signature is approved.
func (s *Server) approved(templateID, sign string) (*compiled, bool) {
	s.catMu.RLock()
	defer s.catMu.RUnlock()
	return s.templates[templateID], s.signs[sign]
}

// Start builds a Server and serves it on opts.Addr (default 127.0.0.1:0).
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("smsapi: listen on %s: %w", s.opts.Addr, err)
	}
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.opts.Logger.Error("smsapi: serve", slog.Any("err", err))
		}
	}()
	return s, nil
}

// URL is the base URL of a started server, e.g. http://127.0.0.1:40123: the
// value for SMS_ENDPOINT.
func (s *Server) URL() string { return s.url }

// Close stops the server; replies held back by faults are abandoned.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closed)
		if s.httpSrv != nil {
			err = s.httpSrv.Close()
		}
	})
	return err
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) error {
	p, err := newFaultPlan(f)
	if err != nil {
		return err
	}
	s.faults.Store(p)
	return nil
}

// SetCredentials replaces the accepted keys, as when temporary credentials
// rotate and the old ones expire.
func (s *Server) SetCredentials(keys map[string]Credential) {
	s.creds.Store(newCredSet(keys))
}

func setOf(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func (s *Server) newRequestID() string {
	n := s.idSeq.Add(1)
	// UUID-shaped like the real RequestId; unique per server.
	return fmt.Sprintf("%s%03x-a%03x-%012x", s.idPrefix, (n>>48)&0xfff, (n>>36)&0xfff, n&0xffffffffffff)
}

// ServeHTTP answers one API call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := s.newRequestID()
	plan := s.faults.Load()
	ok, e := s.serve(r, id, plan)

	s.mu.Lock()
	s.box.requests++
	if e != nil {
		s.box.requestErrs[e.Code]++
	}
	s.mu.Unlock()
	if e != nil {
		s.opts.Logger.Debug("smsapi: request rejected", slog.String("request_id", id),
			slog.String("action", r.Header.Get("X-TC-Action")), slog.String("code", e.Code))
	}

	if !s.wait(r.Context(), plan.delay()) {
		return
	}
	if e == nil && plan.timesOut() {
		// Accepted and delivered, but the answer is held back until the
		// client gives up: from its side the messages "may have been sent".
		if !s.wait(r.Context(), plan.Hang) {
			return
		}
	}
	_ = writeReply(w, id, ok, e)
}

// wait sleeps for d unless the client leaves or the server closes first; it
// reports whether the reply should still be written.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

// smsActions are the other actions of sms/v20210111: known to the API, not
// emulated here.
var smsActions = []string{
	"AddSmsSign", "AddSmsTemplate", "CallbackStatusStatistics", "DeleteSmsSign",
	"DeleteSmsTemplate", "DescribePhoneNumberInfo", "DescribeSmsSignList",
	"DescribeSmsTemplateList", "ModifySmsSign", "ModifySmsTemplate",
	"PullSmsReplyStatusByPhoneNumber",
	"PullSmsSendStatusByPhoneNumber", "ReportConversion", "SendStatusStatistics",
	"SmsPackagesStatistics",
}

const apiVersion = "2021-01-11"

// serve runs the checks in the order the API applies them: transport, auth,
// routing, rate, then the action itself.
func (s *Server) serve(r *http.Request, id string, plan *faultPlan) (okReply, *apiError) {
	if r.Method != http.MethodPost {
		return nil, apiErr(CodeUnsupportedProtocol)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return nil, errorf(CodeUnsupportedProtocol, "Content-Type %q: the sandbox accepts only application/json", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errorf(CodeRequestSizeLimit, "request body exceeds %d bytes", maxBody)
		}
		return nil, errorf(CodeInternalError, "read body: %v", err)
	}
	if e := s.authenticate(r, body); e != nil {
		return nil, e
	}
	action := r.Header.Get("X-TC-Action")
	switch {
	case action == "":
		return nil, errorf(CodeMissingParameter, "X-TC-Action is required")
	case action == "SendSms", action == "PullSmsReplyStatus", action == "PullSmsSendStatus", describeActions[action] != nil:
	case slices.Contains(smsActions, action):
		return nil, errorf(CodeUnsupportedOperation, "the sandbox does not implement %s", action)
	default:
		return nil, errorf(CodeInvalidAction, "The requested action `%s` does not exist in sms %s.", action, apiVersion)
	}
	if v := r.Header.Get("X-TC-Version"); v != apiVersion {
		return nil, errorf(CodeNoSuchVersion, "The requested version `%s` of service `sms` does not exist (the sandbox serves %s).", v, apiVersion)
	}
	switch region := r.Header.Get("X-TC-Region"); {
	case region == "":
		return nil, errorf(CodeMissingParameter, "X-TC-Region is required for sms %s", apiVersion)
	case !s.regions[region]:
		return nil, errorf(CodeUnsupportedRegion, "The region `%s` is not supported by sms.", region)
	}
	switch action {
	case "PullSmsReplyStatus":
		return orNil(s.pullReplies(body))
	case "PullSmsSendStatus":
		return orNil(s.pullStatuses(body))
	}
	if describe := describeActions[action]; describe != nil {
		return describe(s, body)
	}
	if !s.qps.allow(s.opts.Now(), s.opts.QPS) {
		return nil, errorf(CodeRequestLimitExceeded, "Your current request times exceeds the frequency limit `%d` for a second.", s.opts.QPS)
	}
	if code := draw(plan.request); code != "" {
		return nil, apiErr(code)
	}
	in, e := decodeSendSms(body)
	if e != nil {
		return nil, e
	}
	return orNil(s.sendSms(in, id, plan))
}

// orNil keeps a nil *T from becoming a non-nil okReply.
func orNil[T okReply](r T, e *apiError) (okReply, *apiError) {
	if e != nil {
		return nil, e
	}
	return r, nil
}

// fmtUint keeps serial numbers allocation-light.
func fmtUint(prefix string, n uint64) string {
	return prefix + strconv.FormatUint(n, 10)
}
