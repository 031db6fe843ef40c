package wxapi

import (
	"net/http"
	"net/url"
	"strings"
)

type queryBody struct {
	Scheme    *string `json:"scheme"`
	QueryType *int    `json:"query_type"`
}

type schemeInfo struct {
	AppID      string `json:"appid"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	CreateTime int64  `json:"create_time"`
	ExpireTime int64  `json:"expire_time"`
	EnvVersion string `json:"env_version"`
}

type quotaInfo struct {
	RemainVisitQuota int64 `json:"remain_visit_quota"`
}

type queryReply struct {
	ErrCode    int         `json:"errcode"`
	ErrMsg     string      `json:"errmsg"`
	SchemeInfo *schemeInfo `json:"scheme_info,omitempty"`
	QuotaInfo  *quotaInfo  `json:"quota_info,omitempty"`
}

func (s *Server) queryScheme(r *http.Request) (int, any) {
	var body queryBody
	if code := s.readQuery(r, &body); code != 0 {
		return http.StatusOK, apiError(PathQueryScheme, code)
	}
	switch queryType(body.QueryType) {
	case 1:
		return http.StatusOK, queryReply{ErrMsg: "ok", QuotaInfo: s.quotaInfo()}
	case 0:
		if body.Scheme == nil || *body.Scheme == "" {
			return http.StatusOK, apiError(PathQueryScheme, 40097)
		}
		info, code := s.lookup(*body.Scheme)
		if code != 0 {
			return http.StatusOK, apiError(PathQueryScheme, code)
		}
		return http.StatusOK, queryReply{ErrMsg: "ok", SchemeInfo: info}
	default:
		return http.StatusOK, apiError(PathQueryScheme, 40097)
	}
}

// readQuery checks the token and decodes the body of queryscheme or
// query_urllink into body; a non-zero code is the errcode to answer.
func (s *Server) readQuery(r *http.Request, body any) int {
	if code := s.checkToken(r.URL.Query().Get("access_token")); code != 0 {
		return code
	}
	b, err := readBody(r)
	if err != nil {
		return 44002
	}
	if _, err := decodeStrict(b, body); err != nil {
		return 47001
	}
	return 0
}

// queryType is the query_type asked for; absent means 0, as documented.
func queryType(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// quotaInfo is query_type 1's answer: the opens left today, which schemes
// and URL Links share.
func (s *Server) quotaInfo() *quotaInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &quotaInfo{RemainVisitQuota: s.remain}
}

// issuedInfo is query_type 0's answer for a scheme or URL Link the sandbox
// issued.
func issuedInfo(sch *IssuedScheme) *schemeInfo {
	return &schemeInfo{
		AppID: sch.AppID, Path: sch.Path, Query: sch.Query,
		CreateTime: sch.CreatedAt.Unix(), ExpireTime: sch.ExpiresAt.Unix(),
		EnvVersion: sch.EnvVersion,
	}
}

// lookup answers for an encrypted scheme (?t=…, a trailing cq= allowed) or a
// plaintext one (?appid=…&path=…), as the doc says both are supported.
func (s *Server) lookup(scheme string) (*schemeInfo, int) {
	rest, ok := strings.CutPrefix(scheme, schemePrefix+"?")
	if !ok {
		return nil, 40097
	}
	v, err := url.ParseQuery(rest)
	if err != nil {
		return nil, 40097
	}
	if t := v.Get("t"); t != "" {
		s.mu.Lock()
		sch, ok := s.gen.schemes[t]
		s.mu.Unlock()
		if !ok {
			return nil, 85403
		}
		return issuedInfo(sch), 0
	}
	if v.Get("appid") == "" || v.Get("path") == "" {
		return nil, 40097
	}
	if v.Get("appid") != s.opts.AppID {
		return nil, 85403
	}
	env := v.Get("env_version")
	if env == "" {
		env = "release"
	}
	// A plaintext scheme is built by the caller: no creation time, no expiry.
	return &schemeInfo{AppID: s.opts.AppID, Path: v.Get("path"), Query: v.Get("query"), EnvVersion: env}, 0
}
