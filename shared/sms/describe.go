package sms

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Account reads what an operator set up in the SMS console (signatures,
// templates, applications) with the read-only actions of API 2021-01-11.
// It is separate from the sending path: checks before a deploy (doctor)
// use it, a campaign never does.
type Account struct {
	t *Tencent
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

// NewAccount builds an Account from the same settings as the sender. Its
// calls are signed and read as Send's are, one call at a time.
func NewAccount(cfg TencentConfig) (*Account, error) {
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	t, err := NewTencent(cfg)
	if err != nil {
		return nil, err
	}
	return &Account{t: t}, nil
}

// describePage is DescribeSmsSignList's largest Limit.
const describePage = 100

// Signs lists every domestic signature of the account, page by page.
func (a *Account) Signs(ctx context.Context) ([]SignStatus, error) {
	var out []SignStatus
	for offset := uint64(0); ; offset += describePage {
		var resp describeSignsReply
		err := a.t.call(ctx, "DescribeSmsSignList", describeSignsRequest{Limit: describePage, Offset: offset}, &resp)
		if err != nil {
			return nil, fmt.Errorf("DescribeSmsSignList: %w", err)
		}
		if resp.Response == nil {
			return out, nil
		}
		set := resp.Response.DescribeSignListStatusSet
		for _, s := range set {
			if s == nil {
				continue
			}
			out = append(out, SignStatus{ID: ptrVal(s.SignID), Name: ptrVal(s.SignName), Status: ptrVal(s.StatusCode), ReviewReply: ptrVal(s.ReviewReply)})
		}
		if len(set) < describePage {
			return out, nil
		}
	}
}

// Templates describes the domestic templates ids (numbers, as the console
// shows them); an id the account does not have is absent from the result.
func (a *Account) Templates(ctx context.Context, ids []string) ([]TemplateStatus, error) {
	var out []TemplateStatus
	for start := 0; start < len(ids); start += describePage {
		req := describeTemplatesRequest{}
		for _, id := range ids[start:min(len(ids), start+describePage)] {
			n, err := strconv.ParseUint(id, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("template id %q is not a number (the SMS console shows numeric ids)", id)
			}
			req.TemplateIDSet = append(req.TemplateIDSet, n)
		}
		var resp describeTemplatesReply
		if err := a.t.call(ctx, "DescribeSmsTemplateList", req, &resp); err != nil {
			return nil, fmt.Errorf("DescribeSmsTemplateList: %w", err)
		}
		if resp.Response == nil {
			continue
		}
		for _, t := range resp.Response.DescribeTemplateStatusSet {
			if t == nil {
				continue
			}
			out = append(out, TemplateStatus{ID: strconv.FormatUint(ptrVal(t.TemplateID), 10), Name: ptrVal(t.TemplateName),
				Status: ptrVal(t.StatusCode), ReviewReply: ptrVal(t.ReviewReply), Content: ptrVal(t.TemplateContent)})
		}
	}
	return out, nil
}

// CheckApp asks SendStatusStatistics about the last hour of appID: the only
// read-only action that names an SdkAppId, so an error here says whether
// the application exists and the caller may use it.
func (a *Account) CheckApp(ctx context.Context, appID string, now time.Time) error {
	bj := now.In(beijing)
	req := statisticsRequest{
		BeginTime: bj.Add(-time.Hour).Format("2006010215"), EndTime: bj.Format("2006010215"), SmsSdkAppID: appID,
	}
	var resp statisticsReply
	if err := a.t.call(ctx, "SendStatusStatistics", req, &resp); err != nil {
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
