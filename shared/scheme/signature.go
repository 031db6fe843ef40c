package scheme

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smsjump/smsjump/shared/jssdk"
	"github.com/smsjump/smsjump/shared/scf"
)

// Signer signs a page for WeChat's JS-SDK; *jssdk.Signer implements it.
type Signer interface {
	Sign(ctx context.Context, pageURL string) (jssdk.Signature, error)
}

// ErrNoSigner: the JS-SDK signature endpoint is off (no service account).
var ErrNoSigner = &Kind{"not_configured", http.StatusNotFound, "未配置服务号 JS-SDK 签名：在函数环境变量中设置 WECHAT_OA_APPID 和 WECHAT_OA_SECRET。"}

// serveSignature answers GET …/jssdk?url=<page URL>: the wx.config values
// for that page, signed with the service account's jsapi_ticket. Only pages
// of an allowed origin are signed, so the endpoint cannot lend the
// account's signature to other sites.
func (s *Service) serveSignature(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
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
			h.Set("Access-Control-Allow-Methods", "GET, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Accept, Content-Type")
			h.Set("Access-Control-Max-Age", "600")
		}
		h.Set("Allow", "GET, OPTIONS")
		w.WriteHeader(http.StatusNoContent)
		return
	default:
		h.Set("Allow", "GET, OPTIONS")
		s.writeError(w, ErrMethodNotAllowed)
		return
	}
	if s.opt.Signer == nil {
		s.writeError(w, ErrNoSigner)
		return
	}
	if ok, retry := s.limiter.allow(scf.ClientIP(r), s.opt.Now()); !ok {
		h.Set("Retry-After", strconv.Itoa(retry))
		s.writeError(w, ErrRateLimited)
		return
	}
	// The signature covers the URL exactly as the page sees it, without #.
	page, _, _ := strings.Cut(scf.QueryValue(r, "url"), "#")
	u, err := url.Parse(page)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		s.writeError(w, ErrBadRequest)
		return
	}
	if s.origins[u.Scheme+"://"+u.Host] == nil {
		s.writeError(w, ErrForbiddenOrigin)
		return
	}
	sig, err := s.opt.Signer.Sign(r.Context(), page)
	if err != nil {
		s.log.WarnContext(r.Context(), "jssdk signature failed", "err", err)
		s.writeError(w, ErrUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, sig)
}
