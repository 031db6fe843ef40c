package wxapi

import (
	"net/http"
	"net/url"
	"strings"
)

// urlLinkPrefix is where WeChat's URL Links live
// (https://wxaurl.cn/BQZRrcFCPvg in the documentation).
const urlLinkPrefix = "https://wxaurl.cn/"

// urlLinkBody is generate_urllink's body: jump_wxa's fields at the top
// level, plus cloud_base (a CloudBase H5 middle page; accepted, not used).
type urlLinkBody struct {
	jumpBody
	expiryBody
	CloudBase *struct {
		Env           string `json:"env"`
		Domain        string `json:"domain"`
		Path          string `json:"path"`
		Query         string `json:"query"`
		ResourceAppID string `json:"resource_appid"`
	} `json:"cloud_base"`
}

type urlLinkReply struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
	URLLink string `json:"url_link"`
}

// generateURLLink checks like generatescheme and draws on the same limits:
// URL Schemes and URL Links share the 500 000 a day (documented); the
// sandbox also shares the per-second window between them (undocumented).
func (s *Server) generateURLLink(r *http.Request) (int, any) {
	now, b, code := s.admitGenerate(r)
	if code != 0 {
		return http.StatusOK, apiError(PathGenerateURLLink, code)
	}
	var body urlLinkBody
	if _, err := decodeStrict(b, &body); err != nil {
		return http.StatusOK, apiError(PathGenerateURLLink, 47001)
	}
	// The same rules as generatescheme, applied to the same fields.
	sch, code := s.validateGenerate(&body.jumpBody, &body.expiryBody, now)
	if code != 0 {
		return http.StatusOK, apiError(PathGenerateURLLink, code)
	}
	if !s.issue(sch, now, s.gen.links, &s.gen.linkOrder, func(t string) string { return urlLinkPrefix + t }) {
		return http.StatusOK, apiError(PathGenerateURLLink, 44993)
	}
	return http.StatusOK, urlLinkReply{ErrMsg: "ok", URLLink: sch.OpenLink}
}

type queryURLLinkBody struct {
	URLLink   *string `json:"url_link"`
	QueryType *int    `json:"query_type"`
}

type queryURLLinkReply struct {
	ErrCode     int         `json:"errcode"`
	ErrMsg      string      `json:"errmsg"`
	URLLinkInfo *schemeInfo `json:"url_link_info,omitempty"`
	QuotaInfo   *quotaInfo  `json:"quota_info,omitempty"`
	VisitOpenID *string     `json:"visit_openid,omitempty"`
}

// queryURLLink answers query_type 0 (the link's target) and 1 (opens left
// today, shared with schemes).
func (s *Server) queryURLLink(r *http.Request) (int, any) {
	var body queryURLLinkBody
	if code := s.readQuery(r, &body); code != 0 {
		return http.StatusOK, apiError(PathQueryURLLink, code)
	}
	switch queryType(body.QueryType) {
	case 1:
		return http.StatusOK, queryURLLinkReply{ErrMsg: "ok", QuotaInfo: s.quotaInfo()}
	case 0:
		if body.URLLink == nil || *body.URLLink == "" {
			return http.StatusOK, apiError(PathQueryURLLink, 40097)
		}
		u, err := url.Parse(*body.URLLink)
		if err != nil || u.Scheme != "https" || u.Host != "wxaurl.cn" {
			return http.StatusOK, apiError(PathQueryURLLink, 40097)
		}
		// A trailing ?cq=… (the documented example has one) is ignored.
		ticket := strings.TrimPrefix(u.Path, "/")
		s.mu.Lock()
		l, ok := s.gen.links[ticket]
		s.mu.Unlock()
		if !ok {
			return http.StatusOK, apiError(PathQueryURLLink, 85403)
		}
		none := ""
		return http.StatusOK, queryURLLinkReply{ErrMsg: "ok", VisitOpenID: &none, URLLinkInfo: issuedInfo(l)}
	default:
		return http.StatusOK, apiError(PathQueryURLLink, 40097)
	}
}

// URLLinks returns the URL Links generated so far, oldest first; OpenLink
// holds the url_link.
func (s *Server) URLLinks() []IssuedScheme {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]IssuedScheme, 0, len(s.gen.linkOrder))
	for _, t := range s.gen.linkOrder {
		out = append(out, *s.gen.links[t])
	}
	return out
}
