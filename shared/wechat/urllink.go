package wechat

import (
	"context"
	"strings"
	"time"
)

// urlLinkPrefix is the host of every URL Link WeChat issues.
const urlLinkPrefix = "https://wxaurl.cn/"

// URLLink is a generated URL Link: an https link that opens the
// mini-program inside WeChat (after WeChat's own middle page on Android)
// and from browsers, unlike a weixin:// scheme, which WeChat blocks in its
// own web views.
type URLLink struct {
	URL       string // https://wxaurl.cn/…
	ExpiresAt time.Time
}

// urlLinkRequest is generate_urllink's body: the target at the top level,
// not inside jump_wxa (WeChat ignores a jump_wxa here and opens the home
// page).
type urlLinkRequest struct {
	Path       string `json:"path"`
	Query      string `json:"query"`
	EnvVersion string `json:"env_version"`
	expiryRequest
}

type urlLinkReply struct {
	URLLink string `json:"url_link"`
}

func (r *urlLinkReply) check() error {
	if !strings.HasPrefix(r.URLLink, urlLinkPrefix) || len(r.URLLink) == len(urlLinkPrefix) {
		return errIncomplete
	}
	return nil
}

// GenerateURLLink calls wxa/generate_urllink for the same target and
// expiry rules as GenerateScheme; it draws on the same daily quota.
func (c *Client) GenerateURLLink(ctx context.Context, accessToken string, req SchemeRequest) (URLLink, error) {
	start := c.now()
	if accessToken == "" {
		return URLLink{}, configError(opURLLink, "no access token", "pass a token from StableToken")
	}
	if err := req.validate(opURLLink, start); err != nil {
		return URLLink{}, err
	}
	exp, expires := req.expiry(start)
	body := urlLinkRequest{Path: req.Path, Query: req.Query, EnvVersion: req.EnvVersion, expiryRequest: exp}
	if body.EnvVersion == "" {
		body.EnvVersion = EnvRelease
	}
	var out urlLinkReply
	if err := c.post(ctx, opURLLink, "/wxa/generate_urllink", accessToken, body, &out); err != nil {
		return URLLink{}, err
	}
	return URLLink{URL: out.URLLink, ExpiresAt: expires}, nil
}

type queryURLLinkRequest struct {
	URLLink   string `json:"url_link,omitempty"`
	QueryType int    `json:"query_type"`
}

type queryURLLinkReply struct {
	Info      *targetReply `json:"url_link_info"`
	QuotaInfo *quotaReply  `json:"quota_info"`

	queryType int
}

func (r *queryURLLinkReply) check() error {
	if r.queryType == QuerySchemeInfo && r.Info == nil || r.queryType == QueryVisitQuota && r.QuotaInfo == nil {
		return errIncomplete
	}
	return nil
}

// QueryURLLink calls wxa/query_urllink: the link's target
// (QuerySchemeInfo) or the opens left today (QueryVisitQuota), which URL
// Links share with schemes.
func (c *Client) QueryURLLink(ctx context.Context, accessToken, link string, queryType int) (SchemeInfo, error) {
	if err := checkQuery(opQueryURL, accessToken, queryType, link == "", "no URL Link to query", "pass the link returned by GenerateURLLink"); err != nil {
		return SchemeInfo{}, err
	}
	out := queryURLLinkReply{queryType: queryType}
	if err := c.post(ctx, opQueryURL, "/wxa/query_urllink", accessToken, queryURLLinkRequest{URLLink: link, QueryType: queryType}, &out); err != nil {
		return SchemeInfo{}, err
	}
	return schemeInfo(out.Info, out.QuotaInfo), nil
}
