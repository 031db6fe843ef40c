package wxapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Paths the sandbox serves.
const (
	PathStableToken     = "/cgi-bin/stable_token"
	PathGenerateScheme  = "/wxa/generatescheme"
	PathQueryScheme     = "/wxa/queryscheme"
	PathGenerateURLLink = "/wxa/generate_urllink"
	PathQueryURLLink    = "/wxa/query_urllink"
	PathGetTicket       = "/cgi-bin/ticket/getticket"
)

// Documented defaults.
const (
	DefaultTokenTTL         = 7200 * time.Second
	DefaultDailyQuota       = 500000  // URL Scheme + URL Link generated per day
	DefaultPerSecondLimit   = 100     // generatescheme calls per second
	DefaultRemainVisitQuota = 3000000 // scheme opens per day
)

// maxBody caps a request body; documented requests are a few hundred bytes.
const maxBody = 1 << 20

// Options configure a sandbox. AppID and Secret are required.
type Options struct {
	AppID  string
	Secret string
	// TokenTTL is the validity of an access token (default 7200 s).
	TokenTTL time.Duration
	// Now is the sandbox's clock (default time.Now). Days start at midnight
	// Beijing time, as WeChat's daily quotas do.
	Now func() time.Time
	// DailyQuota is how many URL Schemes and URL Links together may be
	// generated per day (default 500 000).
	DailyQuota int
	// PerSecondLimit is how many generatescheme calls are allowed per second
	// (default 100).
	PerSecondLimit int
	// RemainVisitQuota is what queryscheme reports as opens left today
	// (default 3 000 000).
	RemainVisitQuota int64
	// Pages lists the pages of the "published" mini-program; generatescheme
	// answers 40165 for any other path. Empty accepts every well-formed path.
	Pages []string
	// IPWhitelist, when set, makes stable_token answer 40164 to other IPs.
	IPWhitelist []string
	// Logger gets one debug line per request (default: discard).
	Logger *slog.Logger
}

// Server is the sandbox: an http.Handler, safe for concurrent use.
type Server struct {
	opts  Options
	pages map[string]bool
	log   *slog.Logger

	mu        sync.Mutex
	tok       tokenState
	gen       genState
	ticket    ticketState
	remain    int64
	calls     map[string]int
	faults    map[string][]fault
	latencies map[string]time.Duration

	hs  *http.Server
	url string
}

// fault is a queued injected failure: an errcode reply or a bare HTTP status.
type fault struct {
	errcode int
	status  int
	left    int
}

// NewServer returns a sandbox handler that is not listening; serve it with
// httptest or use Start.
func NewServer(opts Options) (*Server, error) {
	if opts.AppID == "" || opts.Secret == "" {
		return nil, errors.New("wxapi: Options.AppID and Options.Secret are required")
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = DefaultTokenTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.DailyQuota <= 0 {
		opts.DailyQuota = DefaultDailyQuota
	}
	if opts.PerSecondLimit <= 0 {
		opts.PerSecondLimit = DefaultPerSecondLimit
	}
	if opts.RemainVisitQuota == 0 {
		opts.RemainVisitQuota = DefaultRemainVisitQuota
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:      opts,
		log:       opts.Logger,
		remain:    opts.RemainVisitQuota,
		calls:     map[string]int{},
		faults:    map[string][]fault{},
		latencies: map[string]time.Duration{},
	}
	s.tok.tokens = map[string]*tokenEntry{}
	s.gen.schemes = map[string]*IssuedScheme{}
	s.gen.links = map[string]*IssuedScheme{}
	if len(opts.Pages) > 0 {
		s.pages = map[string]bool{}
		for _, p := range opts.Pages {
			s.pages[strings.TrimLeft(p, "/")] = true
		}
	}
	return s, nil
}

// Start runs a sandbox on 127.0.0.1 with a free port.
func Start(opts Options) (*Server, error) {
	s, err := NewServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("wxapi: listen: %w", err)
	}
	s.hs = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.url = "http://" + ln.Addr().String()
	go func() { _ = s.hs.Serve(ln) }()
	return s, nil
}

// URL is the base URL to give the client (WECHAT_API_BASE); empty unless
// the server was started with Start.
func (s *Server) URL() string { return s.url }

// Close stops a server started with Start.
func (s *Server) Close() error {
	if s.hs == nil {
		return nil
	}
	return s.hs.Close()
}

// Calls returns how many requests reached path, whatever their outcome.
func (s *Server) Calls(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[path]
}

// ResetCalls zeroes every call counter.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.calls)
}

// Inject makes the next times calls to path answer errcode (with the
// documented errmsg) before any other check. Injections queue up in order.
func (s *Server) Inject(path string, errcode, times int) {
	s.addFault(path, fault{errcode: errcode, left: times})
}

// InjectHTTP makes the next times calls to path answer a bare HTTP status
// with a non-JSON body, like a failing gateway in front of WeChat.
func (s *Server) InjectHTTP(path string, status, times int) {
	s.addFault(path, fault{status: status, left: times})
}

func (s *Server) addFault(path string, f fault) {
	if f.left <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[path] = append(s.faults[path], f)
}

// ResetFaults drops every queued injection.
func (s *Server) ResetFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// SetLatency delays every later reply on path by d (0 removes the delay).
func (s *Server) SetLatency(path string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latencies[path] = d
}

// SetRemainVisitQuota sets what queryscheme reports as opens left today.
func (s *Server) SetRemainVisitQuota(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remain = n
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	s.mu.Lock()
	s.calls[path]++
	delay := s.latencies[path]
	s.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}

	var handle func(*http.Request) (int, any)
	switch path {
	case PathStableToken:
		handle = s.stableToken
	case PathGenerateScheme:
		handle = s.generateScheme
	case PathQueryScheme:
		handle = s.queryScheme
	case PathGenerateURLLink:
		handle = s.generateURLLink
	case PathQueryURLLink:
		handle = s.queryURLLink
	case PathGetTicket:
		handle = s.getTicket
	default:
		s.reply(w, r, http.StatusNotFound, apiError(path, 40066))
		return
	}
	if f, ok := s.takeFault(path); ok {
		if f.status != 0 {
			s.log.DebugContext(r.Context(), "wxapi injected status", "path", path, "status", f.status)
			http.Error(w, http.StatusText(f.status), f.status)
			return
		}
		s.reply(w, r, http.StatusOK, apiError(path, f.errcode))
		return
	}
	// getticket is the one GET API; the others want POST.
	if (path == PathGetTicket) != (r.Method == http.MethodGet) {
		s.reply(w, r, http.StatusOK, apiError(path, 43002))
		return
	}
	status, body := handle(r)
	s.reply(w, r, status, body)
}

func (s *Server) takeFault(path string) (fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.faults[path]
	if len(q) == 0 {
		return fault{}, false
	}
	f := q[0]
	q[0].left--
	if q[0].left == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(s.faults, path)
	} else {
		s.faults[path] = q
	}
	return f, true
}

// errorReply is WeChat's error shape.
type errorReply struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func apiError(path string, code int) errorReply {
	return errorReply{ErrCode: code, ErrMsg: Errmsg(path, code) + " rid: " + rid()}
}

func apiErrorMsg(code int, msg string) errorReply {
	return errorReply{ErrCode: code, ErrMsg: msg + " rid: " + rid()}
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, body any) {
	if e, ok := body.(errorReply); ok {
		s.log.DebugContext(r.Context(), "wxapi error", "path", r.URL.Path, "errcode", e.ErrCode)
	}
	// WeChat's own header, charset spelled "encoding".
	w.Header().Set("Content-Type", "application/json; encoding=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}
