package smsapi

import (
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

const (
	testID     = "AKIDsandboxPermanent01"
	testKey    = "sandboxPermanentSecretKey01"
	tempID     = "AKIDsandboxTemporary01"
	tempKey    = "sandboxTemporarySecretKey01"
	tempToken  = "sandbox-session-token-01"
	testApp    = "1400000001"
	testSign   = "小程序助手"
	tplNotice  = "1001"
	tplMarket  = "1002"
	tplTwo     = "1003"
	tplGlobal  = "2001"
	tplNoParam = "1004"
)

func testOptions() Options {
	return Options{
		Credentials: map[string]Credential{
			testID: {SecretKey: testKey},
			tempID: {SecretKey: tempKey, Token: tempToken},
		},
		SdkAppIDs: []string{testApp},
		SignNames: []string{testSign},
		Templates: map[string]Template{
			tplNotice:  {Text: "您好{1}，活动已开始，点击 https://h5.example.cn/?c=spring 进入"},
			tplMarket:  {Text: "{1}春季大促开始啦，进入小程序领券 https://h5.example.cn/?c=spring 拒收请回复R", Type: Marketing},
			tplTwo:     {Text: "尊敬的{1}，您的订单{2}已发货"},
			tplGlobal:  {Text: "Your code is {1}", International: true},
			tplNoParam: {Text: "活动已开始"},
		},
		KeepMessages: true,
	}
}

// startServer starts a sandbox with testOptions changed by mutate.
func startServer(t testing.TB, mutate func(*Options)) *Server {
	t.Helper()
	o := testOptions()
	if mutate != nil {
		mutate(&o)
	}
	s, err := Start(o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// sdkClient is the real SDK client pointed at the sandbox.
func sdkClient(t testing.TB, base, id, key, token string) *smsv.Client {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	p := profile.NewClientProfile()
	p.HttpProfile.Endpoint = u.Host
	p.HttpProfile.Scheme = "HTTP"
	p.HttpProfile.ReqTimeout = 10
	c, err := smsv.NewClient(common.NewTokenCredential(id, key, token), "ap-guangzhou", p)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newRequest(tpl string, params []string, phones ...string) *smsv.SendSmsRequest {
	r := smsv.NewSendSmsRequest()
	r.SmsSdkAppId = common.StringPtr(testApp)
	r.SignName = common.StringPtr(testSign)
	r.TemplateId = common.StringPtr(tpl)
	r.TemplateParamSet = common.StringPtrs(params)
	r.PhoneNumberSet = common.StringPtrs(phones)
	return r
}

// send calls SendSms and returns the reply or the request-level error code.
func send(t testing.TB, c *smsv.Client, r *smsv.SendSmsRequest) (*smsv.SendSmsResponseParams, string) {
	t.Helper()
	resp, err := c.SendSms(r)
	if err != nil {
		var sdk *tcerr.TencentCloudSDKError
		if !errors.As(err, &sdk) {
			t.Fatalf("SendSms: %v", err)
		}
		return nil, sdk.Code
	}
	return resp.Response, ""
}

// codes lists the per-number codes of a reply.
func codes(resp *smsv.SendSmsResponseParams) []string {
	var out []string
	for _, st := range resp.SendStatusSet {
		out = append(out, *st.Code)
	}
	return out
}

func mobiles(n, from int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("+86138%08d", from+i)
	}
	return out
}

// fakeClock is a settable Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// beijingTime is a wall-clock time in Beijing.
func beijingTime(hour, minute int) time.Time {
	return time.Date(2026, 3, 2, hour, minute, 0, 0, beijing)
}
