package sms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

// These tests hold Tencent's hand-made requests and reply parsing to
// tencentcloud-sdk-go, which the API's signature check was written against.

// captureTransport records the one request it is given and answers with an
// empty success.
type captureTransport struct {
	req  *http.Request
	body []byte
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.req = r
	c.body, _ = io.ReadAll(r.Body)
	return &http.Response{
		StatusCode: 200, Status: "200 OK",
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(strings.NewReader(`{"Response":{"SendStatusSet":[],"RequestId":"r"}}`)),
		Request: r,
	}, nil
}

// sdkRequest is what the SDK sends for req.
func sdkRequest(t testing.TB, endpoint, region, id, key, token string, req Request) *captureTransport {
	t.Helper()
	c, err := smsv.NewClient(common.NewTokenCredential(id, key, token), region, sdkProfile(t, endpoint))
	if err != nil {
		t.Fatal(err)
	}
	ct := &captureTransport{}
	c.WithHttpTransport(ct)
	r := smsv.NewSendSmsRequest()
	r.PhoneNumberSet = common.StringPtrs(req.Phones)
	r.SmsSdkAppId = common.StringPtr(req.SdkAppID)
	r.TemplateId = common.StringPtr(req.TemplateID)
	if req.SignName != "" {
		r.SignName = common.StringPtr(req.SignName)
	}
	if len(req.Params) > 0 {
		r.TemplateParamSet = common.StringPtrs(req.Params)
	}
	if req.SessionContext != "" {
		r.SessionContext = common.StringPtr(req.SessionContext)
	}
	if _, err := c.SendSms(r); err != nil {
		t.Fatal(err)
	}
	return ct
}

// ourRequest is what Tencent sends for req at unix time ts.
func ourRequest(t testing.TB, endpoint, region, id, key, token string, req Request, ts int64) (*http.Request, []byte) {
	t.Helper()
	tc := newTencent(t, endpoint, func(c *TencentConfig) {
		c.Region = region
		c.Credentials = staticCreds(id, key, token)
	})
	c, err := tc.current()
	if err != nil {
		t.Fatal(err)
	}
	body := appendSendSmsBody(nil, &req)
	hr, err := tc.httpRequest(context.Background(), c, sendSmsAction, body, ts)
	if err != nil {
		t.Fatal(err)
	}
	return hr, body
}

func TestSignMatchesSDK(t *testing.T) {
	base := batch(3, 0)
	cases := []struct {
		name, endpoint, region, token string
		req                           func(*Request)
	}{
		{name: "default endpoint", region: "ap-guangzhou", token: sbToken},
		{name: "sandbox", endpoint: "http://127.0.0.1:8080", region: "ap-guangzhou", token: sbToken},
		{name: "regional https with path", endpoint: "https://sms.ap-beijing.tencentcloudapi.com/v1/", region: "ap-beijing", token: sbToken},
		{name: "permanent key, no token", endpoint: "sms.tencentcloudapi.com", region: "ap-nanjing"},
		{name: "no sign name, no params", region: "ap-guangzhou", req: func(r *Request) {
			r.SignName, r.Params, r.Phones = "", nil, []string{"+14155550100"}
		}},
		{name: "escapes", region: "ap-guangzhou", token: sbToken, req: func(r *Request) {
			r.Params = []string{`<b>&"x"\`, "tab\tnl\ncr\r\x01\x1f", "\u2028\u2029", "bad\xffutf8\xc3", "中文·😀", ""}
			r.SessionContext = "campaign=spring;row=1&k=<v>"
		}},
		{name: "200 numbers", region: "ap-guangzhou", token: sbToken, req: func(r *Request) { *r = batch(200, 5) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := base
			req.Phones = append([]string(nil), base.Phones...)
			if c.req != nil {
				c.req(&req)
			}
			sdk := sdkRequest(t, c.endpoint, c.region, sbID, sbKey, c.token, req)
			ts, err := strconv.ParseInt(sdk.req.Header.Get("X-TC-Timestamp"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			ours, body := ourRequest(t, c.endpoint, c.region, sbID, sbKey, c.token, req, ts)
			if !bytes.Equal(body, sdk.body) {
				t.Fatalf("body differs\nours %s\nsdk  %s", body, sdk.body)
			}
			if ours.Method != sdk.req.Method || ours.URL.String() != sdk.req.URL.String() || ours.Host != sdk.req.Host {
				t.Fatalf("ours %s %s (Host %s), sdk %s %s (Host %s)", ours.Method, ours.URL, ours.Host, sdk.req.Method, sdk.req.URL, sdk.req.Host)
			}
			if got, want := ours.Header.Get("Authorization"), sdk.req.Header.Get("Authorization"); got != want {
				t.Fatalf("Authorization\nours %s\nsdk  %s", got, want)
			}
			// The canonical request the SDK signed is the one we build: same
			// hash under the same key, rebuilt here from the SDK's wire bytes.
			if got, want := canonicalRequest(ours.Host, body), canonicalRequest(sdk.req.Host, sdk.body); got != want {
				t.Fatalf("canonical request\nours %q\nsdk  %q", got, want)
			}
			// Every other header is the SDK's, except who we say we are.
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

// The signer must fail the comparison when it is wrong: a one-byte change in
// the payload or a second's skew changes the signature.
func TestSignDetectsChanges(t *testing.T) {
	s := &tc3Signer{secretID: sbID, secretKey: sbKey}
	a := s.authorization("sms.tencentcloudapi.com", 1700000000, []byte(`{"a":1}`))
	for _, b := range []string{
		s.authorization("sms.tencentcloudapi.com", 1700000000, []byte(`{"a":2}`)),
		s.authorization("sms.tencentcloudapi.com", 1700000001, []byte(`{"a":1}`)),
		s.authorization("sms.ap-beijing.tencentcloudapi.com", 1700000000, []byte(`{"a":1}`)),
		(&tc3Signer{secretID: sbID, secretKey: sbKey + "x"}).authorization("sms.tencentcloudapi.com", 1700000000, []byte(`{"a":1}`)),
	} {
		if a == b {
			t.Fatalf("same signature for different input: %s", a)
		}
	}
	// The day key is cached; a new day must not reuse it.
	d1 := s.authorization("h", 1700000000, nil)
	_ = s.authorization("h", 1700000000+86400, nil)
	if d2 := s.authorization("h", 1700000000, nil); d1 != d2 {
		t.Fatal("day key cache changed a signature")
	}
}

func FuzzBodyMatchesSDK(f *testing.F) {
	for _, s := range []string{"张三", `<>&"\`, "\u2028", "\xff\xfe", "a\x00b", "😀", "\t\r\n"} {
		f.Add(s, "ctx")
	}
	f.Fuzz(func(t *testing.T, param, session string) {
		req := batch(2, 0)
		req.Params = []string{param, param + "2"}
		req.SessionContext = session
		r := smsv.NewSendSmsRequest()
		r.PhoneNumberSet = common.StringPtrs(req.Phones)
		r.SmsSdkAppId = common.StringPtr(req.SdkAppID)
		r.TemplateId = common.StringPtr(req.TemplateID)
		r.SignName = common.StringPtr(req.SignName)
		r.TemplateParamSet = common.StringPtrs(req.Params)
		if session != "" {
			r.SessionContext = common.StringPtr(session)
		}
		if got, want := string(appendSendSmsBody(nil, &req)), r.ToJsonString(); got != want {
			t.Fatalf("ours %q\nsdk  %q", got, want)
		}
	})
}

// sdkVerdict is what the SDK makes of a reply: its error, or the statuses
// it decoded, in our types.
// The SDK panics on some replies (a bare null); sdkVerdict reports that as
// panicked.
func sdkVerdict(code int, body string) (resp *smsv.SendSmsResponse, err error, panicked bool) {
	defer func() {
		if recover() != nil {
			resp, err, panicked = nil, nil, true
		}
	}()
	hr := func() *http.Response {
		return &http.Response{StatusCode: code, Status: strconv.Itoa(code) + " " + http.StatusText(code),
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}
	}
	r := hr()
	if err := tchttp.TryReadErr(r); err != nil {
		return nil, err, false
	}
	resp = smsv.NewSendSmsResponse()
	if err := tchttp.ParseFromHttpResponse(r, resp); err != nil {
		return nil, err, false
	}
	return resp, nil, false
}

func compareVerdicts(t *testing.T, code int, body string) {
	t.Helper()
	want, wantErr, panicked := sdkVerdict(code, body)
	got, gotErr := judgeReply(code, strconv.Itoa(code)+" "+http.StatusText(code), body, 2)
	if panicked {
		// Where the SDK would have crashed the function, we must not
		// report anything as sent.
		if gotErr == nil && got.response {
			t.Fatalf("body %q: the SDK panics, ours reads a Response", body)
		}
		return
	}
	var we, ge *tcerr.TencentCloudSDKError
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("body %q status %d: sdk err %v, ours %v", body, code, wantErr, gotErr)
	}
	if wantErr != nil {
		if !errors.As(wantErr, &we) || !errors.As(gotErr, &ge) || we.Code != ge.Code {
			t.Fatalf("body %q: sdk %v, ours %v", body, wantErr, gotErr)
		}
		if !strings.HasPrefix(we.Code, "ClientError.") && (we.Message != ge.Message || we.RequestId != ge.RequestId) {
			t.Fatalf("body %q: sdk %#v, ours %#v", body, we, ge)
		}
		return
	}
	if (want.Response != nil) != got.response {
		t.Fatalf("body %q: sdk Response %v, ours %v", body, want.Response != nil, got.response)
	}
	if want.Response == nil {
		return
	}
	if s := want.Response.RequestId; (s == nil && got.requestID != "") || (s != nil && *s != got.requestID) {
		t.Fatalf("body %q: RequestId sdk %v, ours %q", body, s, got.requestID)
	}
	if len(want.Response.SendStatusSet) != len(got.statuses) {
		t.Fatalf("body %q: %d statuses from the sdk, %d ours", body, len(want.Response.SendStatusSet), len(got.statuses))
	}
	d := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	for i, w := range want.Response.SendStatusSet {
		g := got.statuses[i]
		if w == nil {
			if !g.null {
				t.Fatalf("body %q: status %d null in the sdk, ours %+v", body, i, g)
			}
			continue
		}
		var fee uint64
		if w.Fee != nil {
			fee = *w.Fee
		}
		if g.null || d(w.SerialNo) != g.SerialNo || d(w.PhoneNumber) != g.PhoneNumber || fee != g.Fee ||
			d(w.SessionContext) != g.SessionContext || d(w.Code) != g.Code || d(w.Message) != g.Message || d(w.IsoCode) != g.IsoCode {
			t.Fatalf("body %q: status %d differs: ours %+v", body, i, g)
		}
	}
}

var replySeeds = []string{
	`{"Response":{"SendStatusSet":[{"SerialNo":"2640:1","PhoneNumber":"+8613900000000","Fee":1,"SessionContext":"s","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r1"}}` + "\n",
	`{"Response":{"Error":{"Code":"FailedOperation.TemplateIncorrectOrUnapproved","Message":"template"},"RequestId":"r2"}}`,
	`{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"sig"},"RequestId":"r3","SendStatusSet":[{"Fee":"x"}]}}`,
	`{"code":4000,"codeDesc":"InvalidParameter","message":"old"}`,
	`{"Code":4000,"CodeDesc":"X","Message":"case"}`,
	`{"code":"x"}`,
	`{"Response":null}`,
	`{}`,
	`null`,
	`[]`,
	`"x"`,
	`<html>`,
	``,
	`{"Response":{"SendStatusSet":[null,{"phonenumber":"+8613900000001","fee":2,"code":"LimitExceeded.PhoneNumberDailyLimit"}],"requestid":"r4"}}`,
	`{"Response":{"SendStatusSet":[{"Fee":-1}]}}`,
	`{"Response":{"SendStatusSet":[{"Fee":1.5}]}}`,
	`{"Response":{"SendStatusSet":[{"Fee":1e2}]}}`,
	`{"Response":{"SendStatusSet":[{"Fee":18446744073709551616}]}}`,
	`{"Response":{"SendStatusSet":[{"Message":"\u53d1\u9001\ud83d\ude00\ud800x\\\/\b\f\n\r\t\"","Code":"Ok\u0000"}]}}`,
	"{\"Response\":{\"SendStatusSet\":[{\"Message\":\"bad\xffutf8\"}]}}",
	`{"Response":{"SendStatusSet":{}}}`,
	`{"Response":{"SendStatusSet":[1]}}`,
	`{"Response":"x"}`,
	`{"Response":{"Error":"x"}}`,
	`{"Response":{"Error":{"Code":1}}}`,
	`{"Response":{"RequestId":5,"SendStatusSet":[]}}`,
	`{"Response":{"Error":null,"Unknown":{"a":[1,true,false,null,"s",{"b":-0.5e+3}]},"SendStatusSet":[]}} `,
	`{"Response":{"SendStatusSet":[]}} x`,
	`{"Response":{"SendStatusSet":[],}}`,
	`{"Response":{"SendStatusSet":[01]}}`,
	`{"Response":{"Error":{"Code":""},"SendStatusSet":[]}}`,
	`{"Response":{"SendStatusSet":[{"Code":"Ok","Code":"Fail"}]}}`,
	"{\"Response\":{\"SendStatusSet\":[{\"Code\":\"a\tb\"}]}}",
	`{"Response":{"SendStatusSet":[{"\u0043ode":"escaped key"}]}}`,
	`{"Response":{"SendStatusSet":[{"Fee":null,"Code":null}]}}`,
}

func TestReplyMatchesSDK(t *testing.T) {
	for _, body := range replySeeds {
		for _, code := range []int{200, 502} {
			compareVerdicts(t, code, body)
		}
	}
}

func FuzzReplyMatchesSDK(f *testing.F) {
	for _, s := range replySeeds {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, body string, bad bool) {
		code := 200
		if bad {
			code = 500
		}
		compareVerdicts(t, code, body)
	})
}

// sdkProfile is the SDK's client profile for endpoint as both SDK paths of
// these tests use it: English messages, POST, no retries, no region breaker.
// It is written here rather than taken from Tencent.newSDK so that the
// comparisons do not check the client with its own code.
func sdkProfile(t testing.TB, endpoint string) *profile.ClientProfile {
	t.Helper()
	ep, err := parseEndpoint(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	prof := profile.NewClientProfile()
	prof.Language = "en-US"
	prof.HttpProfile.ReqMethod = http.MethodPost
	prof.HttpProfile.Scheme = ep.scheme
	prof.HttpProfile.Endpoint = ep.host
	prof.NetworkFailureMaxRetries = 0
	prof.RateLimitExceededMaxRetries = 0
	prof.DisableRegionBreaker = true
	return prof
}

// sdkSender is the SendSms path through tencentcloud-sdk-go that Tencent
// replaced, kept as the benchmarks' baseline.
type sdkSender struct{ c *smsv.Client }

func newSDKSender(t testing.TB, endpoint string) *sdkSender {
	prof := sdkProfile(t, endpoint)
	prof.HttpProfile.ReqTimeout = 0
	c, err := smsv.NewClient(common.NewTokenCredential(sbID, sbKey, sbToken), DefaultRegion, prof)
	if err != nil {
		t.Fatal(err)
	}
	c.WithHttpTransport(newTransport())
	return &sdkSender{c: c}
}

func (s *sdkSender) Send(ctx context.Context, req Request) ([]Status, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	r := smsv.NewSendSmsRequest()
	r.PhoneNumberSet = common.StringPtrs(req.Phones)
	r.SmsSdkAppId = common.StringPtr(req.SdkAppID)
	r.TemplateId = common.StringPtr(req.TemplateID)
	r.SignName = common.StringPtr(req.SignName)
	if len(req.Params) > 0 {
		r.TemplateParamSet = common.StringPtrs(req.Params)
	}
	resp, err := s.c.SendSmsWithContext(ctx, r)
	if err != nil {
		return nil, err
	}
	set := make([]replyStatus, len(resp.Response.SendStatusSet))
	for i, st := range resp.Response.SendStatusSet {
		set[i] = replyStatus{PhoneNumber: *st.PhoneNumber, Code: *st.Code, SerialNo: *st.SerialNo, Fee: *st.Fee}
	}
	return statuses(req, set), nil
}
