package sms

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/tccred"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	smsapi "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

// Account reads what an operator set up in the SMS console (signatures,
// templates, applications) with the read-only actions of API 2021-01-11.
// It is separate from the sending path: checks before a deploy (doctor)
// use it, a campaign never does.
type Account struct {
	region    string
	ep        endpoint
	creds     func() (tccred.Credentials, error)
	transport http.RoundTripper
}

// Review statuses (StatusCode) of signatures and templates.
const (
	StatusApproved = 0
	StatusInReview = 1
	StatusPending  = 2 // approved, not yet effective
	StatusRejected = -1
)

// SignStatus is one signature of the account (domestic).
type SignStatus struct {
	ID          uint64
	Name        string
	Status      int64
	ReviewReply string
}

// TemplateStatus is one body template of the account (domestic).
type TemplateStatus struct {
	ID          string
	Name        string
	Status      int64
	ReviewReply string
	// Content is the approved text with {1}, {2}… and without the signature.
	Content string
}

// NewAccount builds an Account from the same settings as the sender.
func NewAccount(cfg TencentConfig) (*Account, error) {
	ep, err := parseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	a := &Account{region: cfg.Region, ep: ep, creds: cfg.Credentials, transport: cfg.Transport}
	if a.region == "" {
		a.region = DefaultRegion
	}
	if a.creds == nil {
		a.creds = tccred.FromEnv
	}
	if a.transport == nil {
		a.transport = http.DefaultTransport
	}
	return a, nil
}

func (a *Account) client() (*smsapi.Client, error) {
	creds, err := a.creds()
	if err != nil {
		return nil, err
	}
	prof := profile.NewClientProfile()
	prof.Language = "en-US"
	prof.HttpProfile.ReqMethod = http.MethodPost
	prof.HttpProfile.Scheme = a.ep.scheme
	prof.HttpProfile.Endpoint = a.ep.host
	prof.HttpProfile.ReqTimeout = 0 // the context bounds each call
	prof.DisableRegionBreaker = true
	c, err := smsapi.NewClient(common.NewTokenCredential(creds.SecretID, creds.SecretKey, creds.SessionToken), a.region, prof)
	if err != nil {
		return nil, err
	}
	c.WithHttpTransport(a.transport)
	return c, nil
}

// describePage is DescribeSmsSignList's largest Limit.
const describePage = 100

// Signs lists every domestic signature of the account, page by page.
func (a *Account) Signs(ctx context.Context) ([]SignStatus, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	var out []SignStatus
	for offset := uint64(0); ; offset += describePage {
		req := smsapi.NewDescribeSmsSignListRequest()
		req.International = common.Uint64Ptr(0)
		req.Limit = common.Uint64Ptr(describePage)
		req.Offset = common.Uint64Ptr(offset)
		resp, err := c.DescribeSmsSignListWithContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("DescribeSmsSignList: %w", err)
		}
		set := resp.Response.DescribeSignListStatusSet
		for _, s := range set {
			out = append(out, SignStatus{ID: ptrVal(s.SignId), Name: ptrVal(s.SignName), Status: ptrVal(s.StatusCode), ReviewReply: ptrVal(s.ReviewReply)})
		}
		if len(set) < describePage {
			return out, nil
		}
	}
}

// Templates describes the domestic templates ids (numbers, as the console
// shows them); an id the account does not have is absent from the result.
func (a *Account) Templates(ctx context.Context, ids []string) ([]TemplateStatus, error) {
	c, err := a.client()
	if err != nil {
		return nil, err
	}
	var out []TemplateStatus
	for start := 0; start < len(ids); start += describePage {
		req := smsapi.NewDescribeSmsTemplateListRequest()
		req.International = common.Uint64Ptr(0)
		for _, id := range ids[start:min(len(ids), start+describePage)] {
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("template id %q is not a number (the SMS console shows numeric ids)", id)
			}
			req.TemplateIdSet = append(req.TemplateIdSet, common.Uint64Ptr(n))
		}
		resp, err := c.DescribeSmsTemplateListWithContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("DescribeSmsTemplateList: %w", err)
		}
		for _, t := range resp.Response.DescribeTemplateStatusSet {
			out = append(out, TemplateStatus{ID: strconv.FormatUint(ptrVal(t.TemplateId), 10), Name: ptrVal(t.TemplateName),
				Status: ptrVal(t.StatusCode), ReviewReply: ptrVal(t.ReviewReply), Content: ptrVal(t.TemplateContent)})
		}
	}
	return out, nil
}

// CheckApp asks SendStatusStatistics about the last hour of appID: the only
// read-only action that names an SdkAppId, so an error here says whether
// the application exists and the caller may use it.
func (a *Account) CheckApp(ctx context.Context, appID string, now time.Time) error {
	c, err := a.client()
	if err != nil {
		return err
	}
	bj := now.In(beijing)
	req := smsapi.NewSendStatusStatisticsRequest()
	req.SmsSdkAppId = common.StringPtr(appID)
	req.BeginTime = common.StringPtr(bj.Add(-time.Hour).Format("2006010215"))
	req.EndTime = common.StringPtr(bj.Format("2006010215"))
	req.Limit = common.Uint64Ptr(0)
	req.Offset = common.Uint64Ptr(0)
	if _, err := c.SendStatusStatisticsWithContext(ctx, req); err != nil {
		return fmt.Errorf("SendStatusStatistics: %w", err)
	}
	return nil
}

func ptrVal[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
