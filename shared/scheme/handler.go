package scheme

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/tencentyun/scf-go-lib/functioncontext"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/logging"
	"github.com/smsjump/smsjump/shared/scf"
)

// answer is the 200 body. path, query and env_version let the page render
// the in-WeChat open tag for the same target.
type answer struct {
	OpenLink   string `json:"openlink"`
	ExpiresAt  int64  `json:"expires_at"` // unix seconds; 0 for plaintext (no expiry)
	Mode       string `json:"mode"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	EnvVersion string `json:"env_version"`
	Title      string `json:"title,omitempty"`  // the campaign's page.title
	Poster     string `json:"poster,omitempty"` // the campaign's page.poster
}

// errorAnswer is every error's body; closed links add what the page needs
// to avoid a dead end.
type errorAnswer struct {
	Error   string `json:"error"`
	Message string `json:"message"`
	*ClosedInfo
}

// The request's log line, one call site each: a Site finds its source once.
var logLimited, logFailed, logServed logging.Site

// serveScheme answers GET ?c=…[&k=…][&cq=…][&link=urllink] and its OPTIONS
// preflight.
func (s *Service) serveScheme(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	h := w.Header()
	setFixed(h, "Cache-Control", hvNoStore)
	setFixed(h, "X-Content-Type-Options", hvNoSniff)
	origin := r.Header.Get("Origin")
	allowed := s.cors(h, origin)

	switch r.Method {
	case http.MethodGet:
	case http.MethodOptions:
		if origin != "" && !allowed {
			s.writeError(w, ErrForbiddenOrigin)
			return
		}
		if allowed {
			setFixed(h, "Access-Control-Allow-Methods", hvAllowMethods)
			setFixed(h, "Access-Control-Allow-Headers", hvAllowHeaders)
			setFixed(h, "Access-Control-Max-Age", hvPreflightTime)
		}
		setFixed(h, "Allow", hvAllowMethods)
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		setFixed(h, "Allow", hvAllowMethods)
		s.writeError(w, ErrMethodNotAllowed)
		return
	}

	ctx := r.Context()
	req := Request{
		Campaign: scf.QueryValue(r, "c"), Code: scf.QueryValue(r, "k"), CQ: scf.QueryValue(r, "cq"),
		URLLink: scf.QueryValue(r, "link") == ModeURLLink,
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = appendRequestID(attrs, r)
	attrs = append(attrs, slog.String("campaign", req.Campaign))
	if req.Code != "" {
		attrs = append(attrs, slog.String("code", link.Mask(req.Code)))
	}

	ip := scf.ClientIP(r)
	ok, retry := s.limiter.allow(ip, s.opt.Now())
	if ok && req.Code != "" {
		// Only code lookups can guess at something, so only they pay for
		// the limit shared through the store.
		ok, retry = s.codes.allow(ctx, ip)
	}
	if !ok {
		h.Set("Retry-After", strconv.Itoa(retry))
		s.writeError(w, ErrRateLimited)
		logLimited.LogAttrs(ctx, s.log, slog.LevelInfo, "get-scheme", append(attrs,
			slog.Int("status", ErrRateLimited.Status), slog.String("kind", ErrRateLimited.Name))...)
		return
	}

	res, err := s.Open(ctx, req)
	if err != nil {
		k := KindOf(err)
		body := errorAnswer{Error: k.Name, Message: k.Message}
		switch {
		case k == ErrQuotaExhausted:
			now := s.opt.Now()
			h.Set("Retry-After", strconv.Itoa(int(nextBeijingMidnight(now).Sub(now).Seconds())+1))
		case closedKind(k):
			body.ClosedInfo = s.closed(ctx, req, k)
		}
		writeJSON(w, k.Status, body)
		level := slog.LevelInfo
		if k.Status >= 500 {
			level = slog.LevelError
			if k == ErrQuotaExhausted || k == ErrUnavailable {
				level = slog.LevelWarn
			}
		}
		logFailed.LogAttrs(ctx, s.log, level, "get-scheme", append(attrs,
			slog.Int("status", k.Status), slog.String("kind", k.Name), slog.String("err", err.Error()),
			slog.Int64("ms", time.Since(start).Milliseconds()))...)
		return
	}
	a := answer{
		OpenLink: res.OpenLink, Mode: res.Mode,
		Path: res.Target.Path, Query: res.Target.Query, EnvVersion: res.Target.EnvVersion,
		Title: res.Page.Title, Poster: res.Page.Poster,
	}
	if !res.ExpiresAt.IsZero() {
		a.ExpiresAt = res.ExpiresAt.Unix()
	}
	buf := answerBufs.Get().(*[]byte)
	*buf = a.appendJSON((*buf)[:0])
	setFixed(h, "Content-Type", hvJSON)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(*buf)
	answerBufs.Put(buf)
	if s.opt.OnOpen != nil {
		s.opt.OnOpen(r, req.Campaign, req.Code)
	}
	logServed.LogAttrs(ctx, s.log, slog.LevelInfo, "get-scheme", append(attrs,
		slog.Int("status", http.StatusOK), slog.String("mode", res.Mode), slog.String("source", res.Source),
		slog.Int64("ms", time.Since(start).Milliseconds()))...)
}

// cors sets the CORS headers for an allowed origin and reports whether it
// is one. Vary: Origin is always set when CORS is configured, so a shared
// cache never hands one origin's answer to another.
func (s *Service) cors(h http.Header, origin string) bool {
	if len(s.origins) == 0 {
		return false
	}
	setFixed(h, "Vary", hvOrigin)
	allow := s.origins[origin]
	if origin == "" || allow == nil {
		return false
	}
	setFixed(h, "Access-Control-Allow-Origin", allow)
	// The page reads Retry-After to count down its retry button.
	setFixed(h, "Access-Control-Expose-Headers", hvRetryAfter)
	return true
}

func (s *Service) writeError(w http.ResponseWriter, k *Kind) {
	writeJSON(w, k.Status, errorAnswer{Error: k.Name, Message: k.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal","message":"服务出错了，请稍后再试。"}`)
	}
	setFixed(w.Header(), "Content-Type", hvJSON)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// appendRequestID adds the request's id. On SCF the process logger already
// adds the invocation's as request_id; a gateway id that differs (legacy API
// Gateway) goes in as gateway_request_id instead of a duplicate key.
func appendRequestID(attrs []slog.Attr, r *http.Request) []slog.Attr {
	id := scf.RequestID(r)
	if id == "" {
		return attrs
	}
	if fc, ok := functioncontext.FromContext(r.Context()); ok && fc.RequestID != "" {
		if fc.RequestID == id {
			return attrs
		}
		return append(attrs, slog.String("gateway_request_id", id))
	}
	return append(attrs, slog.String("request_id", id))
}
