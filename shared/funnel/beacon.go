package funnel

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scf"
)

// Paths of the beacon endpoints on get-scheme's Function URL.
const (
	BeaconPath = "/beacon" // POST ?c=&k=&e= from the page (navigator.sendBeacon)
	ArrivePath = "/arrive" // POST ?c=[&k=|&r=] from the mini-program's onLoad
)

// HandlerOptions configure the beacon endpoints.
type HandlerOptions struct {
	// AllowedOrigins may send beacons besides the page's own origin
	// (ALLOWED_ORIGINS). A request without Origin (the mini-program's
	// wx.request) is accepted.
	AllowedOrigins []string
	// PerMinute beacons per client IP (default 60); MaxClients bounds the
	// memory (default 10 000).
	PerMinute  int
	MaxClients int
	// Timeout bounds the store write (default 1s).
	Timeout time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

// Handler serves BeaconPath and ArrivePath. It costs one store write per
// accepted beacon and never calls WeChat or reads the store: a beacon is
// checked by shape only (known event, campaign id and code formats).
type Handler struct {
	rec     *Recorder
	o       HandlerOptions
	win     *window
	origins map[string]bool
}

// NewHandler returns the beacon endpoints over rec.
func NewHandler(rec *Recorder, o HandlerOptions) *Handler {
	if o.PerMinute <= 0 {
		o.PerMinute = 60
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 10000
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h := &Handler{rec: rec, o: o, win: newWindow(o.PerMinute, o.MaxClients), origins: map[string]bool{}}
	for _, origin := range o.AllowedOrigins {
		h.origins[origin] = true
	}
	return h
}

type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func (h *Handler) fail(w http.ResponseWriter, status int, kind, msg string) {
	b, _ := json.Marshal(errorBody{kind, msg})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		h.fail(w, http.StatusMethodNotAllowed, "method_not_allowed", "只接受 POST。")
		return
	}
	if origin := r.Header.Get("Origin"); origin != "" && !h.originOK(origin, r.Host) {
		h.fail(w, http.StatusForbidden, "forbidden_origin", "该来源不允许上报。")
		return
	}
	q := r.URL.Query()
	hit := Hit{Campaign: q.Get("c"), Code: q.Get("k"), Event: Event(q.Get("e")), At: h.o.Now()}
	switch r.URL.Path {
	case ArrivePath:
		hit.Event = Arrived
		if r := q.Get("r"); r != "" {
			n, err := strconv.Atoi(r)
			if err != nil || n <= 0 || n > MaxRow {
				h.fail(w, http.StatusBadRequest, "bad_request", "行号不正确。")
				return
			}
			hit.Row = n
		}
	default:
		if !PageEvents[hit.Event] {
			h.fail(w, http.StatusBadRequest, "bad_request", "未知的事件。")
			return
		}
	}
	if !link.ValidCampaignID(hit.Campaign) || (hit.Code != "" && !link.ValidCodeFormat(hit.Code)) {
		h.fail(w, http.StatusBadRequest, "bad_request", "链接参数不正确。")
		return
	}
	if !h.win.allow(scf.ClientIP(r), hit.At) {
		w.Header().Set("Retry-After", "60")
		h.fail(w, http.StatusTooManyRequests, "rate_limited", "上报过于频繁，请稍后再试。")
		return
	}
	hit.Platform = Classify(r.UserAgent())
	ctx, cancel := context.WithTimeout(r.Context(), h.o.Timeout)
	defer cancel()
	if err := h.rec.Record(ctx, hit); err != nil {
		h.o.Logger.WarnContext(ctx, "funnel: beacon not recorded", "campaign", hit.Campaign,
			"event", string(hit.Event), "err", err)
		h.fail(w, http.StatusServiceUnavailable, "unavailable", "暂时无法记录，请稍后再试。")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// originOK accepts the page's own origin (the emulator serves page and
// API together) and the configured ones.
func (h *Handler) originOK(origin, host string) bool {
	if h.origins[origin] {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && u.Host == host
}
