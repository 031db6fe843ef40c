package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

// These tests hold the actions other than SendSms (pulls and describes,
// signed and read by Tencent.call) to tencentcloud-sdk-go: the same request
// bytes and signature for the same inputs and time, and the same verdict
// and fields for the same reply.

// action is one action called both ways: sdk through the SDK's client,
// ours through Tencent or Account.
type action struct {
	name string
	sdk  func(c *smsv.Client) error
	ours func(t *Tencent) error
	// reply decodes body both ways: the SDK's response type (as JSON) and
	// error, and ours.
	sdkReply  func() tchttp.Response
	ourReply  func() any
	responses []string
}

func actions(appID string, now time.Time) []action {
	ids := []string{"1001", "1002", "99"}
	return []action{
		{
			name: "PullSmsSendStatus",
			sdk: func(c *smsv.Client) error {
				r := smsv.NewPullSmsSendStatusRequest()
				r.SmsSdkAppId, r.Limit = common.StringPtr(appID), common.Uint64Ptr(MaxPullStatuses)
				_, err := c.PullSmsSendStatus(r)
				return err
			},
			ours: func(t *Tencent) error {
				_, err := t.PullStatuses(context.Background(), appID, 500)
				return err
			},
			sdkReply: func() tchttp.Response { return smsv.NewPullSmsSendStatusResponse() },
			ourReply: func() any { return &pullSendStatusReply{} },
			responses: []string{
				`{"Response":{"PullSmsSendStatusSet":[{"UserReceiveTime":1700000000,"CountryCode":"86","SubscriberNumber":"13800138000","PhoneNumber":"+8613800138000","SerialNo":"2640:1","ReportStatus":"SUCCESS","Description":"DELIVRD","SessionContext":"s"},null],"RequestId":"r"}}`,
				`{"Response":{"PullSmsSendStatusSet":[{"UserReceiveTime":-1}]}}`,
				`{"Response":{"PullSmsSendStatusSet":[{"UserReceiveTime":"1700000000"}]}}`,
				`{"Response":{"PullSmsSendStatusSet":[{"SerialNo":5}]}}`,
				`{"Response":{"PullSmsSendStatusSet":{}}}`,
			},
		},
		{
			name: "PullSmsReplyStatus",
			sdk: func(c *smsv.Client) error {
				r := smsv.NewPullSmsReplyStatusRequest()
				r.SmsSdkAppId, r.Limit = common.StringPtr(appID), common.Uint64Ptr(MaxPullReplies)
				_, err := c.PullSmsReplyStatus(r)
				return err
			},
			ours: func(t *Tencent) error {
				_, err := t.PullReplies(context.Background(), appID, 500)
				return err
			},
			sdkReply: func() tchttp.Response { return smsv.NewPullSmsReplyStatusResponse() },
			ourReply: func() any { return &pullReplyStatusReply{} },
			responses: []string{
				`{"Response":{"PullSmsReplyStatusSet":[{"ExtendCode":"","CountryCode":"86","PhoneNumber":"+8613800138000","SignName":"小程序助手","ReplyContent":"R","ReplyTime":1700000000,"SubscriberNumber":"13800138000"}],"RequestId":"r"}}`,
				`{"Response":{"PullSmsReplyStatusSet":[{"ReplyTime":1.5}]}}`,
				`{"Response":{"PullSmsReplyStatusSet":[{"ReplyTime":-1}]}}`,
				`{"Response":{"PullSmsReplyStatusSet":[{"ReplyContent":"\ud800\u0000<>&"}]}}`,
			},
		},
		{
			name: "DescribeSmsSignList",
			sdk: func(c *smsv.Client) error {
				r := smsv.NewDescribeSmsSignListRequest()
				r.International, r.Limit, r.Offset = common.Uint64Ptr(0), common.Uint64Ptr(describePage), common.Uint64Ptr(0)
				_, err := c.DescribeSmsSignList(r)
				return err
			},
			ours: func(t *Tencent) error {
				_, err := (&Account{t: t}).Signs(context.Background())
				return err
			},
			sdkReply: func() tchttp.Response { return smsv.NewDescribeSmsSignListResponse() },
			ourReply: func() any { return &describeSignsReply{} },
			responses: []string{
				`{"Response":{"DescribeSignListStatusSet":[{"SignId":1,"International":0,"StatusCode":-1,"ReviewReply":"x","SignName":"s","CreateTime":1,"QualificationId":2,"QualificationName":"q","QualificationStatusCode":0}],"RequestId":"r"}}`,
				`{"Response":{"DescribeSignListStatusSet":[{"StatusCode":-1.0}]}}`,
				`{"Response":{"DescribeSignListStatusSet":[{"QualificationStatusCode":"0"}]}}`,
			},
		},
		{
			name: "DescribeSmsTemplateList",
			sdk: func(c *smsv.Client) error {
				r := smsv.NewDescribeSmsTemplateListRequest()
				r.International = common.Uint64Ptr(0)
				for _, id := range ids {
					n, _ := strconv.ParseUint(id, 10, 64)
					r.TemplateIdSet = append(r.TemplateIdSet, common.Uint64Ptr(n))
				}
				_, err := c.DescribeSmsTemplateList(r)
				return err
			},
			ours: func(t *Tencent) error {
				_, err := (&Account{t: t}).Templates(context.Background(), ids)
				return err
			},
			sdkReply: func() tchttp.Response { return smsv.NewDescribeSmsTemplateListResponse() },
			ourReply: func() any { return &describeTemplatesReply{} },
			responses: []string{
				`{"Response":{"DescribeTemplateStatusSet":[{"TemplateId":1001,"International":0,"StatusCode":0,"ReviewReply":"","TemplateName":"n","CreateTime":1,"TemplateContent":"您好{1}"}],"RequestId":"r"}}`,
				`{"Response":{"DescribeTemplateStatusSet":[{"TemplateId":-1}]}}`,
			},
		},
		{
			name: "SendStatusStatistics",
			sdk: func(c *smsv.Client) error {
				bj := now.In(beijing)
				r := smsv.NewSendStatusStatisticsRequest()
				r.SmsSdkAppId = common.StringPtr(appID)
				r.BeginTime = common.StringPtr(bj.Add(-time.Hour).Format("2006010215"))
				r.EndTime = common.StringPtr(bj.Format("2006010215"))
				r.Limit, r.Offset = common.Uint64Ptr(0), common.Uint64Ptr(0)
				_, err := c.SendStatusStatistics(r)
				return err
			},
			ours: func(t *Tencent) error {
				return (&Account{t: t}).CheckApp(context.Background(), appID, now)
			},
			sdkReply: func() tchttp.Response { return smsv.NewSendStatusStatisticsResponse() },
			ourReply: func() any { return &statisticsReply{} },
			responses: []string{
				`{"Response":{"SendStatusStatistics":{"FeeCount":1,"RequestCount":2,"RequestSuccessCount":3},"RequestId":"r"}}`,
				`{"Response":{"SendStatusStatistics":[]}}`,
			},
		},
	}
}

// TestActionsMatchSDK: for every action, several endpoints and credentials,
// our request is the SDK's byte for byte: body, URL, Host, Authorization and
// every header but X-TC-RequestClient.
func TestActionsMatchSDK(t *testing.T) {
	now := time.Date(2026, 11, 28, 7, 30, 0, 0, time.UTC)
	cases := []struct{ name, endpoint, region, token, app string }{
		{name: "default endpoint", region: "ap-guangzhou", token: sbToken, app: sbApp},
		{name: "sandbox", endpoint: "http://127.0.0.1:8080", region: "ap-guangzhou", token: sbToken, app: sbApp},
		{name: "regional https with path", endpoint: "https://sms.ap-beijing.tencentcloudapi.com/v1/", region: "ap-beijing", app: sbApp},
		{name: "odd app id", region: "ap-nanjing", token: sbToken, app: `<14&00>"\` + "中\u2028"},
	}
	for _, c := range cases {
		for _, a := range actions(c.app, now) {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				sc, err := smsv.NewClient(common.NewTokenCredential(sbID, sbKey, c.token), c.region, sdkProfile(t, c.endpoint))
				if err != nil {
					t.Fatal(err)
				}
				sdk := &captureTransport{}
				sc.WithHttpTransport(sdk)
				if err := a.sdk(sc); err != nil {
					t.Fatal(err)
				}
				ts, err := strconv.ParseInt(sdk.req.Header.Get("X-TC-Timestamp"), 10, 64)
				if err != nil {
					t.Fatal(err)
				}
				mine := &captureTransport{}
				tc := newTencent(t, c.endpoint, func(cfg *TencentConfig) {
					cfg.Region, cfg.Transport = c.region, mine
					cfg.Credentials = staticCreds(sbID, sbKey, c.token)
				})
				tc.now = func() time.Time { return time.Unix(ts, 0) }
				if err := a.ours(tc); err != nil {
					t.Fatal(err)
				}
				ours := mine.req
				if !bytes.Equal(mine.body, sdk.body) {
					t.Fatalf("body differs\nours %s\nsdk  %s", mine.body, sdk.body)
				}
				if ours.Method != sdk.req.Method || ours.URL.String() != sdk.req.URL.String() || ours.Host != sdk.req.Host {
					t.Fatalf("ours %s %s (Host %s), sdk %s %s (Host %s)", ours.Method, ours.URL, ours.Host, sdk.req.Method, sdk.req.URL, sdk.req.Host)
				}
				for k := range sdk.req.Header {
					if k == "X-Tc-Requestclient" {
						continue
					}
					if got, want := ours.Header.Values(k), sdk.req.Header.Values(k); strings.Join(got, ",") != strings.Join(want, ",") {
						t.Errorf("header %s: ours %q, sdk %q", k, got, want)
					}
				}
				for k := range ours.Header {
					if _, ok := sdk.req.Header[k]; !ok {
						t.Errorf("header %s only in ours", k)
					}
				}
			})
		}
	}
}

// sdkActionVerdict is what the SDK makes of a reply to an action; panicked
// reports a reply the SDK crashes on (a bare null).
func sdkActionVerdict(code int, body string, resp tchttp.Response) (err error, panicked bool) {
	defer func() {
		if recover() != nil {
			err, panicked = nil, true
		}
	}()
	hr := &http.Response{StatusCode: code, Status: strconv.Itoa(code) + " " + http.StatusText(code),
		Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
	if err := tchttp.TryReadErr(hr); err != nil {
		return err, false
	}
	return tchttp.ParseFromHttpResponse(hr, resp), false
}

// compareActionVerdicts: the same error code (and message and request id
// for the platform's errors), or the same decoded fields (compared as JSON
// of the SDK's type and ours, which share names and types).
func compareActionVerdicts(t *testing.T, a action, code int, body string) {
	t.Helper()
	sdkResp := a.sdkReply()
	wantErr, panicked := sdkActionVerdict(code, body, sdkResp)
	ours := a.ourReply()
	gotErr := judgeJSON(code, strconv.Itoa(code)+" "+http.StatusText(code), []byte(body), ours)
	if panicked {
		// Where the SDK crashes the function, we must not read a Response.
		if gotErr == nil && !strings.Contains(mustJSON(t, ours), `"Response":null`) {
			t.Fatalf("%s: body %q: the SDK panics, ours reads %s", a.name, body, mustJSON(t, ours))
		}
		return
	}
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%s: body %q status %d: sdk err %v, ours %v", a.name, body, code, wantErr, gotErr)
	}
	if wantErr != nil {
		var we, ge *tcerr.TencentCloudSDKError
		if !errors.As(wantErr, &we) || !errors.As(gotErr, &ge) || we.Code != ge.Code {
			t.Fatalf("%s: body %q: sdk %v, ours %v", a.name, body, wantErr, gotErr)
		}
		if !strings.HasPrefix(we.Code, "ClientError.") && (we.Message != ge.Message || we.RequestId != ge.RequestId) {
			t.Fatalf("%s: body %q: sdk %#v, ours %#v", a.name, body, we, ge)
		}
		return
	}
	if got, want := mustJSON(t, ours), mustJSON(t, sdkResp); got != want {
		t.Fatalf("%s: body %q decoded differently\nours %s\nsdk  %s", a.name, body, got, want)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Envelopes every action shares: errors, the deprecated shape, nulls,
// case-folded keys, syntax errors.
var envelopeSeeds = []string{
	`{"Response":{"Error":{"Code":"FailedOperation.PullSmsSendStatusNotOpen","Message":"not open"},"RequestId":"r2"}}`,
	`{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"sig"},"RequestId":"r3","PullSmsSendStatusSet":[{"UserReceiveTime":"x"}]}}`,
	`{"Response":{"Error":{"Code":1}}}`,
	`{"Response":{"Error":"x"}}`,
	`{"code":4000,"codeDesc":"InvalidParameter","message":"old"}`,
	`{"Code":4000,"CodeDesc":"X","Message":"case"}`,
	`{"code":"x"}`,
	`{"code":1e2}`,
	`{"Response":null}`,
	`{"Response":{}}`,
	`{"response":{"requestid":"lower"}}`,
	`{}`, `null`, `[]`, `"x"`, `<html>`, ``, `{"Response":{}} x`, `{"Response":{"RequestId":5}}`,
	"{\"Response\":{\"RequestId\":\"bad\xffutf8\"}}",
	`{"Response":{"RequestId":"a","RequestId":"b"}}`,
}

func TestActionRepliesMatchSDK(t *testing.T) {
	for _, a := range actions(sbApp, time.Now()) {
		for _, body := range append(append([]string(nil), envelopeSeeds...), a.responses...) {
			for _, code := range []int{200, 502} {
				compareActionVerdicts(t, a, code, body)
			}
		}
	}
}

func FuzzActionRepliesMatchSDK(f *testing.F) {
	as := actions(sbApp, time.Now())
	for i, a := range as {
		for _, s := range append(append([]string(nil), envelopeSeeds...), a.responses...) {
			f.Add(uint8(i), s, false)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string, bad bool) {
		code := 200
		if bad {
			code = 500
		}
		compareActionVerdicts(t, as[int(which)%len(as)], code, body)
	})
}
