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

type queryReply struct {
	SchemeInfo *struct {
		AppID      string `json:"appid"`
		Path       string `json:"path"`
		Query      string `json:"query"`
		CreateTime int64  `json:"create_time"`
		ExpireTime int64  `json:"expire_time"`
		EnvVersion string `json:"env_version"`
	} `json:"scheme_info"`
	QuotaInfo *struct {
		RemainVisitQuota int64 `json:"remain_visit_quota"`
	} `json:"quota_info"`

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
	switch {
	case accessToken == "":
		return SchemeInfo{}, configError(opQuery, "no access token", "pass a token from StableToken")
	case queryType != QuerySchemeInfo && queryType != QueryVisitQuota:
		return SchemeInfo{}, configError(opQuery, fmt.Sprintf("query_type %d", queryType), "use QuerySchemeInfo (0) or QueryVisitQuota (1)")
	case queryType == QuerySchemeInfo && scheme == "":
		return SchemeInfo{}, configError(opQuery, "no scheme to query", "pass the scheme returned by GenerateScheme")
	}
	out := queryReply{queryType: queryType}
	if err := c.post(ctx, opQuery, "/wxa/queryscheme", accessToken, queryRequest{Scheme: scheme, QueryType: queryType}, &out); err != nil {
		return SchemeInfo{}, err
	}
	info := SchemeInfo{RemainVisitQuota: noQuotaInReply}
	if s := out.SchemeInfo; s != nil {
		info.AppID, info.Path, info.Query, info.EnvVersion = s.AppID, s.Path, s.Query, s.EnvVersion
		info.CreatedAt = unixOrZero(s.CreateTime)
		info.ExpiresAt = unixOrZero(s.ExpireTime)
	}
	if q := out.QuotaInfo; q != nil {
		info.RemainVisitQuota = q.RemainVisitQuota
	}
	return info, nil
}

func unixOrZero(s int64) time.Time {
	if s <= 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}
