package wechat

import (
	"context"
	"fmt"
	"time"
)

// Query types of queryscheme.
const (
	QuerySchemeInfo = 0 // scheme_info of one scheme
	QueryVisitQuota = 1 // quota_info: opens left today

	noQuotaInReply = -1
)

// SchemeInfo is what queryscheme reports.
type SchemeInfo struct {
	AppID      string
	Path       string
	Query      string
	EnvVersion string
	CreatedAt  time.Time // zero when WeChat reported none
	ExpiresAt  time.Time // zero: never expires
	// RemainVisitQuota is how many scheme and URL Link opens are left today
	// (query_type 1), or -1 when the reply carried no quota_info.
	RemainVisitQuota int64
}

type queryRequest struct {
	Scheme    string `json:"scheme,omitempty"`
	QueryType int    `json:"query_type"`
}

// targetReply is the target queryscheme reports as scheme_info and
// query_urllink as url_link_info: the same fields under another key.
type targetReply struct {
	AppID      string `json:"appid"`
	Path       string `json:"path"`
	Query      string `json:"query"`
	CreateTime int64  `json:"create_time"`
	ExpireTime int64  `json:"expire_time"`
	EnvVersion string `json:"env_version"`
}

// quotaReply is quota_info, which schemes and URL Links share.
type quotaReply struct {
	RemainVisitQuota int64 `json:"remain_visit_quota"`
}

type queryReply struct {
	SchemeInfo *targetReply `json:"scheme_info"`
	QuotaInfo  *quotaReply  `json:"quota_info"`

	queryType int
}

func (r *queryReply) check() error {
	switch r.queryType {
	case QuerySchemeInfo:
		if r.SchemeInfo == nil || r.SchemeInfo.AppID == "" {
			return errIncomplete
		}
	case QueryVisitQuota:
		if r.QuotaInfo == nil {
			return errIncomplete
		}
	}
	return nil
}

// QueryScheme calls wxa/queryscheme. queryType QuerySchemeInfo needs scheme
// (encrypted or plaintext, a trailing cq= is fine); QueryVisitQuota reports
// the opens left today in RemainVisitQuota.
func (c *Client) QueryScheme(ctx context.Context, accessToken, scheme string, queryType int) (SchemeInfo, error) {
	if err := checkQuery(opQuery, accessToken, queryType, scheme == "", "no scheme to query", "pass the scheme returned by GenerateScheme"); err != nil {
		return SchemeInfo{}, err
	}
	out := queryReply{queryType: queryType}
	if err := c.post(ctx, opQuery, "/wxa/queryscheme", accessToken, queryRequest{Scheme: scheme, QueryType: queryType}, &out); err != nil {
		return SchemeInfo{}, err
	}
	return schemeInfo(out.SchemeInfo, out.QuotaInfo), nil
}

// checkQuery refuses, before any call, what queryscheme and query_urllink
// would both reject: no token, an unknown query type, or no target to look
// up (noTarget) for QuerySchemeInfo.
func checkQuery(op, accessToken string, queryType int, noTarget bool, what, fix string) error {
	switch {
	case accessToken == "":
		return configError(op, "no access token", "pass a token from StableToken")
	case queryType != QuerySchemeInfo && queryType != QueryVisitQuota:
		return configError(op, fmt.Sprintf("query_type %d", queryType), "use QuerySchemeInfo (0) or QueryVisitQuota (1)")
	case queryType == QuerySchemeInfo && noTarget:
		return configError(op, what, fix)
	}
	return nil
}

// schemeInfo turns either query's reply into a SchemeInfo; a reply without
// quota_info reports RemainVisitQuota -1.
func schemeInfo(s *targetReply, q *quotaReply) SchemeInfo {
	info := SchemeInfo{RemainVisitQuota: noQuotaInReply}
	if s != nil {
		info.AppID, info.Path, info.Query, info.EnvVersion = s.AppID, s.Path, s.Query, s.EnvVersion
		info.CreatedAt = unixOrZero(s.CreateTime)
		info.ExpiresAt = unixOrZero(s.ExpireTime)
	}
	if q != nil {
		info.RemainVisitQuota = q.RemainVisitQuota
	}
	return info
}

func unixOrZero(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}
