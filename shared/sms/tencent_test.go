package sms

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/internal/cputime"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/tccred"
)

const (
	sbID     = "AKIDsmsTest0001"
	sbKey    = "smsTestSecretKey0001"
	sbToken  = "smsTestToken0001"
	sbApp    = "1400000001"
	sbSign   = "小程序助手"
	sbTpl    = "1001"
	sbTplTwo = "1002"
)

func sandboxOptions() smsapi.Options {
	return smsapi.Options{
		Credentials: map[string]smsapi.Credential{sbID: {SecretKey: sbKey, Token: sbToken}},
		SdkAppIDs:   []string{sbApp},
		SignNames:   []string{sbSign},
		Templates: map[string]smsapi.Template{
			sbTpl:    {Text: "您好{1}，活动已开始，点击 https://h5.example.cn/?c=spring 进入"},
			sbTplTwo: {Text: "尊敬的{1}，您的订单{2}已发货"},
		},
		KeepMessages: true,
	}
}

func startSandbox(t testing.TB, mutate func(*smsapi.Options)) *smsapi.Server {
	t.Helper()
	o := sandboxOptions()
	if mutate != nil {
		mutate(&o)
	}
	s, err := smsapi.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func staticCreds(id, key, token string) func() (tccred.Credentials, error) {
	return func() (tccred.Credentials, error) {
		return tccred.Credentials{SecretID: id, SecretKey: key, SessionToken: token}, nil
	}
}

func newTencent(t testing.TB, endpoint string, mutate func(*TencentConfig)) *Tencent {
	t.Helper()
	cfg := TencentConfig{
		Endpoint:    endpoint,
		Timeout:     5 * time.Second,
		Credentials: staticCreds(sbID, sbKey, sbToken),
		Logger:      slog.New(slog.DiscardHandler),
	}
	if mutate != nil {
		mutate(&cfg)
	}
	tc, err := NewTencent(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tc
}

func batch(n, from int) Request {
	r := Request{SdkAppID: sbApp, SignName: sbSign, TemplateID: sbTpl, Params: []string{"张三"}}
	for i := range n {
		r.Phones = append(r.Phones, fmt.Sprintf("+86139%08d", from+i))
	}
	return r
}

func TestTencentSend(t *testing.T) {
	sb := startSandbox(t, nil)
	tc := newTencent(t, sb.URL(), nil)
	req := batch(3, 0)
	req.Phones = append(req.Phones, "+8612345678901")
	req.SessionContext = "campaign=spring;row=1"
	got, err := tc.Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d statuses for 4 numbers", len(got))
	}
	for i, st := range got[:3] {
		if st.Phone != req.Phones[i] || st.Code != CodeOK || Classify(st.Code) != OK || st.SerialNo == "" ||
			st.Fee != 1 || st.IsoCode != "CN" || st.SessionContext != req.SessionContext || st.Message != "send success" {
			t.Errorf("status %d: %+v", i, st)
		}
	}
	if st := got[3]; st.Code != "InvalidParameterValue.IncorrectPhoneNumber" || Classify(st.Code) != Final {
		t.Errorf("invalid number: %+v", st)
	}
	if sb.Count() != 3 {
		t.Errorf("sandbox delivered %d", sb.Count())
	}
}

func TestTencentRequestErrors(t *testing.T) {
	cases := []struct {
		name      string
		sandbox   func(*smsapi.Options)
		req       func(*Request)
		cfg       func(*TencentConfig)
		wantCode  string
		wantClass Class
		wantHint  string
	}{
		{name: "template not approved", req: func(r *Request) { r.TemplateID = "9999" },
			wantCode: "FailedOperation.TemplateIncorrectOrUnapproved", wantClass: Fatal, wantHint: "template 9999 is not approved"},
		{name: "signature not approved", req: func(r *Request) { r.SignName = "别人" },
			wantCode: "FailedOperation.SignatureIncorrectOrUnapproved", wantClass: Fatal, wantHint: `signature "别人"`},
		{name: "parameter count", req: func(r *Request) { r.TemplateID = sbTplTwo },
			wantCode: "FailedOperation.TemplateParamSetNotMatchApprovedTemplate", wantClass: Fatal, wantHint: "改正 manifest 的 params"},
		{name: "URL parameter", req: func(r *Request) { r.Params = []string{"https://evil.example.com"} },
			wantCode: "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", wantClass: Fatal, wantHint: "作为常量写进模板正文"},
		{name: "parameter length", sandbox: func(o *smsapi.Options) { o.MaxParamLen = 1 },
			wantCode: "InvalidParameterValue.TemplateParameterLengthLimit", wantClass: Fatal, wantHint: "单个变量 6 个字"},
		{name: "wrong secret key", cfg: func(c *TencentConfig) { c.Credentials = staticCreds(sbID, "wrong", sbToken) },
			wantCode: "AuthFailure.SignatureFailure", wantClass: Fatal, wantHint: "TENCENTCLOUD_SECRETKEY"},
		{name: "unknown secret id", cfg: func(c *TencentConfig) { c.Credentials = staticCreds("AKIDother", sbKey, sbToken) },
			wantCode: "AuthFailure.SecretIdNotFound", wantClass: Fatal, wantHint: "TENCENTCLOUD_SECRETID"},
		{name: "unsupported region", cfg: func(c *TencentConfig) { c.Region = "ap-tokyo" },
			wantCode: "UnsupportedRegion", wantClass: Fatal},
		{name: "account rate", sandbox: func(o *smsapi.Options) {
			o.Faults.RequestErrors = map[string]float64{"RequestLimitExceeded": 1}
		}, wantCode: "RequestLimitExceeded", wantClass: RateLimited},
		{name: "server timeout", sandbox: func(o *smsapi.Options) {
			o.Faults.RequestErrors = map[string]float64{"InternalError.Timeout": 1}
		}, wantCode: "InternalError.Timeout", wantClass: Transient},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sb := startSandbox(t, c.sandbox)
			tc := newTencent(t, sb.URL(), c.cfg)
			req := batch(2, 0)
			if c.req != nil {
				c.req(&req)
			}
			st, err := tc.Send(context.Background(), req)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("statuses %v, err %v: want *Error", st, err)
			}
			if e.Code != c.wantCode || e.Class != c.wantClass || ClassOf(err) != c.wantClass || e.RequestID == "" {
				t.Fatalf("got %s/%v (request %q), want %s/%v", e.Code, e.Class, e.RequestID, c.wantCode, c.wantClass)
			}
			if c.wantHint != "" && !strings.Contains(err.Error(), c.wantHint) {
				t.Fatalf("error %q does not mention %q", err, c.wantHint)
			}
			if st := sb.Stats(); st.Requests != 1 || sb.Count() != 0 {
				t.Fatalf("sandbox saw %d requests (want exactly 1: no SDK retries), delivered %d", st.Requests, sb.Count())
			}
		})
	}
}

func TestTencentPerNumberCodes(t *testing.T) {
	sb := startSandbox(t, func(o *smsapi.Options) { o.Faults.BalanceAfter = 1 })
	tc := newTencent(t, sb.URL(), nil)
	st, err := tc.Send(context.Background(), batch(2, 0))
	if err != nil {
		t.Fatal(err)
	}
	if Classify(st[0].Code) != OK || st[1].Code != "FailedOperation.InsufficientBalanceInSmsPackage" || Classify(st[1].Code) != Fatal {
		t.Fatalf("statuses %+v", st)
	}
	st, _ = tc.Send(context.Background(), batch(1, 5))
	if Classify(st[0].Code) != Fatal {
		t.Fatalf("after the balance ran out: %+v", st)
	}
}

// The "maybe sent" case: the request reached the API, the reply did not
// reach us. The sandbox delivered the messages; the class must say so.
func TestTencentTimeoutAfterWriteIsUnknown(t *testing.T) {
	sb := startSandbox(t, func(o *smsapi.Options) { o.Faults.TimeoutRate = 1 })
	tc := newTencent(t, sb.URL(), func(c *TencentConfig) { c.Timeout = 300 * time.Millisecond })
	_, err := tc.Send(context.Background(), batch(3, 0))
	if ClassOf(err) != Unknown || CodeOf(err) != CodeNetwork {
		t.Fatalf("err %v: class %v, want unknown", err, ClassOf(err))
	}
	if sb.Count() != 3 {
		t.Fatalf("sandbox delivered %d", sb.Count())
	}
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err %v does not say it timed out", err)
	}
}

// Nothing listens: the request never left, so a retry is safe.
func TestTencentDialErrorIsTransient(t *testing.T) {
	tc := newTencent(t, deadEndpoint(t), nil)
	_, err := tc.Send(context.Background(), batch(1, 0))
	if ClassOf(err) != Transient || CodeOf(err) != CodeNetwork || !strings.Contains(err.Error(), "could not connect") {
		t.Fatalf("err %v: class %v, want transient", err, ClassOf(err))
	}
}

func deadEndpoint(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// A server that reads the request and hangs up: written, no reply, so
// Unknown; and the transport must not have sent it a second time.
func TestTencentConnectionDropAfterWrite(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var requests atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				requests.Add(1)
			}()
		}
	}()
	tc := newTencent(t, "http://"+ln.Addr().String(), nil)
	_, err = tc.Send(context.Background(), batch(1, 0))
	if ClassOf(err) != Unknown {
		t.Fatalf("err %v: class %v, want unknown", err, ClassOf(err))
	}
	time.Sleep(50 * time.Millisecond) // let a (wrong) second attempt arrive
	if n := requests.Load(); n != 1 {
		t.Fatalf("server received %d requests, want 1", n)
	}
}

func TestTencentReplyProblems(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		check   func(t *testing.T, st []Status, err error)
	}{
		{"gateway error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad gateway", http.StatusBadGateway)
		}, func(t *testing.T, st []Status, err error) {
			if ClassOf(err) != Unknown {
				t.Fatalf("err %v: class %v, want unknown", err, ClassOf(err))
			}
		}},
		{"status missing for a number", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"Response":{"SendStatusSet":[{"PhoneNumber":"+8613900000000","Code":"Ok","SerialNo":"1","Fee":1}],"RequestId":"x"}}`)
		}, func(t *testing.T, st []Status, err error) {
			if err != nil || len(st) != 2 || st[0].Code != CodeOK || st[1].Code != CodeMissingStatus || Classify(st[1].Code) != Unknown || st[1].Phone != "+8613900000001" {
				t.Fatalf("statuses %+v, err %v", st, err)
			}
		}},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<html>`)
		}, func(t *testing.T, st []Status, err error) {
			if ClassOf(err) != Unknown {
				t.Fatalf("err %v: class %v, want unknown", err, ClassOf(err))
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			st, err := newTencent(t, srv.URL, nil).Send(context.Background(), batch(2, 0))
			c.check(t, st, err)
		})
	}
}

func TestTencentInvalidRequestNotSent(t *testing.T) {
	sb := startSandbox(t, nil)
	tc := newTencent(t, sb.URL(), nil)
	req := batch(1, 0)
	req.Phones = append(req.Phones, req.Phones[0])
	_, err := tc.Send(context.Background(), req)
	if !errors.Is(err, ErrInvalidRequest) || ClassOf(err) != Fatal {
		t.Fatalf("err %v", err)
	}
	if sb.Stats().Requests != 0 {
		t.Fatal("an invalid batch reached the API")
	}
}

// A retry after the endpoint changed goes to the new endpoint: the SDK
// request object is built per call, so none remembers the old server.
func TestTencentRetryAfterEndpointChange(t *testing.T) {
	tc := newTencent(t, deadEndpoint(t), nil)
	req := batch(2, 0)
	if _, err := tc.Send(context.Background(), req); ClassOf(err) != Transient {
		t.Fatalf("first attempt: %v", err)
	}
	a := startSandbox(t, nil)
	if err := tc.SetEndpoint(a.URL()); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Send(context.Background(), req); err != nil {
		t.Fatalf("retry: %v", err)
	}
	b := startSandbox(t, nil)
	if err := tc.SetEndpoint(b.URL() + "/"); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Send(context.Background(), batch(1, 10)); err != nil {
		t.Fatal(err)
	}
	if a.Count() != 2 || b.Count() != 1 {
		t.Fatalf("delivered %d by the first sandbox and %d by the second, want 2 and 1", a.Count(), b.Count())
	}
	if err := tc.SetEndpoint("ftp://x"); err == nil {
		t.Fatal("SetEndpoint accepted ftp://")
	}
}

// Rotated credentials are picked up at the next call.
func TestTencentCredentialRotation(t *testing.T) {
	sb := startSandbox(t, nil)
	var mu sync.Mutex
	current := tccred.Credentials{SecretID: sbID, SecretKey: sbKey, SessionToken: sbToken}
	tc := newTencent(t, sb.URL(), func(c *TencentConfig) {
		c.Credentials = func() (tccred.Credentials, error) {
			mu.Lock()
			defer mu.Unlock()
			return current, nil
		}
	})
	if _, err := tc.Send(context.Background(), batch(1, 0)); err != nil {
		t.Fatal(err)
	}
	first := tc.client.Load()

	// SCF rotates: the platform accepts only the new key from now on.
	rotated := tccred.Credentials{SecretID: "AKIDrotated", SecretKey: "rotatedKey", SessionToken: "rotatedToken"}
	sb.SetCredentials(map[string]smsapi.Credential{rotated.SecretID: {SecretKey: rotated.SecretKey, Token: rotated.SessionToken}})
	mu.Lock()
	current = rotated
	mu.Unlock()
	if _, err := tc.Send(context.Background(), batch(1, 1)); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	if tc.client.Load() == first {
		t.Fatal("the client was not rebuilt")
	}
	if _, err := tc.Send(context.Background(), batch(1, 2)); err != nil || tc.client.Load() == first {
		t.Fatal(err)
	}
}

func TestTencentCredentialsMissing(t *testing.T) {
	t.Setenv(tccred.EnvSecretID, "")
	t.Setenv(tccred.EnvSecretKey, "")
	tc := newTencent(t, deadEndpoint(t), func(c *TencentConfig) { c.Credentials = nil })
	_, err := tc.Send(context.Background(), batch(1, 0))
	if ClassOf(err) != Fatal || !errors.Is(err, tccred.ErrMissing) || !strings.Contains(err.Error(), "TENCENTCLOUD_SECRETID") {
		t.Fatalf("err %v", err)
	}
}

func TestTencentFromEnv(t *testing.T) {
	sb := startSandbox(t, nil)
	t.Setenv(tccred.EnvSecretID, sbID)
	t.Setenv(tccred.EnvSecretKey, sbKey)
	t.Setenv(tccred.EnvSessionToken, sbToken)
	tc := newTencent(t, sb.URL(), func(c *TencentConfig) { c.Credentials = nil })
	if _, err := tc.Send(context.Background(), batch(1, 0)); err != nil {
		t.Fatal(err)
	}
}

// Workers share one Tencent and one Limiter; every number goes out once.
func TestTencentConcurrentWorkers(t *testing.T) {
	sb := startSandbox(t, func(o *smsapi.Options) { o.KeepMessages = false })
	tc := newTencent(t, sb.URL(), nil)
	lim, err := NewLimiter(LimiterConfig{QPS: 3000})
	if err != nil {
		t.Fatal(err)
	}
	s := Throttle(tc, lim)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 10 {
				st, err := s.Send(context.Background(), batch(10, (w*10+i)*10))
				if err != nil {
					t.Error(err)
					return
				}
				for _, x := range st {
					if x.Code != CodeOK {
						t.Error(x.Code)
					}
				}
			}
		})
	}
	wg.Wait()
	if sb.Count() != 800 || len(sb.Counts()) != 800 {
		t.Fatalf("delivered %d to %d numbers, want 800 to 800", sb.Count(), len(sb.Counts()))
	}
}

// BenchmarkTencentSend is the cost of one Send to the in-process sandbox
// over loopback, beside the same call through tencentcloud-sdk-go (the
// baseline, path=sdk). cpu-µs/op is the process's CPU time (client, sandbox
// and GC together) per call, which stays meaningful when other work shares
// the machine and ns/op does not.
func BenchmarkTencentSend(b *testing.B) {
	for _, n := range []int{1, 200} {
		for _, path := range []string{"ours", "sdk"} {
			b.Run(fmt.Sprintf("phones=%d/path=%s", n, path), func(b *testing.B) {
				sb := startSandbox(b, func(o *smsapi.Options) {
					o.KeepMessages, o.SameContentInterval, o.DailyLimit, o.QPS = false, -1, -1, -1
				})
				var s Sender = newTencent(b, sb.URL(), nil)
				if path == "sdk" {
					s = newSDKSender(b, sb.URL())
				}
				benchSend(b, s, batch(n, 0))
			})
		}
	}
}

// BenchmarkTencentClient is the client's own cost per call (build, sign,
// send, read and decode the reply, line up statuses) against a transport
// that replays a recorded sandbox reply: what send-sms pays per SendSms.
func BenchmarkTencentClient(b *testing.B) {
	for _, n := range []int{1, 200} {
		req := batch(n, 0)
		sb := startSandbox(b, func(o *smsapi.Options) { o.KeepMessages, o.SameContentInterval, o.DailyLimit = false, -1, -1 })
		rec := &recordTransport{next: http.DefaultTransport}
		if _, err := newTencent(b, sb.URL(), func(c *TencentConfig) { c.Transport = rec }).Send(context.Background(), req); err != nil {
			b.Fatal(err)
		}
		replay := &replayTransport{body: rec.body}
		for _, path := range []string{"ours", "sdk"} {
			b.Run(fmt.Sprintf("phones=%d/path=%s", n, path), func(b *testing.B) {
				var s Sender = newTencent(b, sb.URL(), func(c *TencentConfig) { c.Transport = replay })
				if path == "sdk" {
					s = newSDKSender(b, sb.URL())
					s.(*sdkSender).c.WithHttpTransport(replay)
				}
				benchSend(b, s, req)
			})
		}
	}
}

func benchSend(b *testing.B, s Sender, req Request) {
	ctx := context.Background()
	b.ReportAllocs()
	stop := cputime.PerOp(b)
	for b.Loop() {
		st, err := s.Send(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if st[len(st)-1].Code != CodeOK {
			b.Fatal(st[len(st)-1])
		}
	}
	stop()
}

// recordTransport keeps the last reply body it carried.
type recordTransport struct {
	next http.RoundTripper
	body []byte
}

func (r *recordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	r.body, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(r.body))
	return resp, err
}

// replayTransport answers every request with the same body, after reading
// the request as a server would.
type replayTransport struct{ body []byte }

func (r *replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, req.Body)
	req.Body.Close()
	return &http.Response{
		StatusCode: 200, Status: "200 OK", ContentLength: int64(len(r.body)),
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(r.body)),
		Request: req,
	}, nil
}
