package smsapi

import (
	"context"
	"errors"
	"testing"
	"time"

	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
)

func TestInjectedErrors(t *testing.T) {
	s := startServer(t, nil)
	c := sdkClient(t, s.URL(), testID, testKey, "")

	if err := s.SetFaults(Faults{RequestErrors: map[string]float64{CodeInternalTimeout: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, code := send(t, c, newRequest(tplNotice, []string{"a"}, mobiles(2, 0)...)); code != CodeInternalTimeout {
		t.Fatalf("request fault: %q", code)
	}

	if err := s.SetFaults(Faults{NumberErrors: map[string]float64{CodePhoneNumberInBlacklist: 1}}); err != nil {
		t.Fatal(err)
	}
	resp, code := send(t, c, newRequest(tplNotice, []string{"a"}, mobiles(2, 0)...))
	if code != "" {
		t.Fatal(code)
	}
	for _, got := range codes(resp) {
		if got != CodePhoneNumberInBlacklist {
			t.Fatalf("number fault: %v", codes(resp))
		}
	}
	if s.Count() != 0 {
		t.Fatalf("failed numbers were delivered: %d", s.Count())
	}
}

func TestInjectedErrorRate(t *testing.T) {
	s := startServer(t, func(o *Options) {
		o.KeepMessages = false
		o.Faults = Faults{NumberErrors: map[string]float64{CodeInternalSendAndRecvFail: 0.3}}
	})
	c := sdkClient(t, s.URL(), testID, testKey, "")
	for i := range 10 {
		if _, code := send(t, c, newRequest(tplNotice, []string{"a"}, mobiles(200, i*200)...)); code != "" {
			t.Fatal(code)
		}
	}
	// 2000 draws at 0.3: the mean is 600 and the standard deviation about 20.
	got := s.Stats().NumberCodes[CodeInternalSendAndRecvFail]
	if got < 450 || got > 750 {
		t.Fatalf("%d of 2000 numbers failed, want about 600", got)
	}
	if s.Count()+got != 2000 {
		t.Fatalf("accepted %d + failed %d != 2000", s.Count(), got)
	}
}

func TestInsufficientBalance(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Faults = Faults{BalanceAfter: 3} })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	resp, _ := send(t, c, newRequest(tplNotice, []string{"a"}, mobiles(5, 0)...))
	want := []string{CodeOK, CodeOK, CodeOK, CodeInsufficientBalance, CodeInsufficientBalance}
	for i, got := range codes(resp) {
		if got != want[i] {
			t.Fatalf("codes %v, want %v", codes(resp), want)
		}
	}
	resp, _ = send(t, c, newRequest(tplNotice, []string{"a"}, mobiles(1, 10)...))
	if got := codes(resp)[0]; got != CodeInsufficientBalance {
		t.Fatalf("after the balance ran out: %s", got)
	}
}

func TestInsufficientBalanceCountsSegments(t *testing.T) {
	s := startServer(t, func(o *Options) { o.Faults = Faults{BalanceAfter: 3} })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	// 80 characters: billed as 2 messages each.
	p1 := string([]rune("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一")[:61])
	resp, _ := send(t, c, newRequest(tplTwo, []string{p1, "A"}, mobiles(2, 0)...))
	if got := codes(resp); got[0] != CodeOK || got[1] != CodeInsufficientBalance || *resp.SendStatusSet[0].Fee != 2 {
		t.Fatalf("codes %v fee %d", got, *resp.SendStatusSet[0].Fee)
	}
}

// The "maybe sent" case: the client gives up, yet the messages went out.
func TestTimeoutDeliversButDoesNotAnswer(t *testing.T) {
	for _, f := range []Faults{
		{TimeoutRate: 1},
		{Latency: time.Hour},
		{Latency: time.Hour, Jitter: time.Minute},
	} {
		s := startServer(t, func(o *Options) { o.Faults = f })
		c := sdkClient(t, s.URL(), testID, testKey, "")
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		_, err := c.SendSmsWithContext(ctx, newRequest(tplNotice, []string{"a"}, mobiles(3, 0)...))
		cancel()
		var sdk *tcerr.TencentCloudSDKError
		if !errors.As(err, &sdk) || sdk.Code != "ClientError.NetworkError" || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%+v: err = %v, want a client timeout", f, err)
		}
		if s.Count() != 3 {
			t.Fatalf("%+v: %d messages delivered, want 3", f, s.Count())
		}
	}
}

func TestCloseReleasesHeldReplies(t *testing.T) {
	s, err := Start(func() Options { o := testOptions(); o.Faults = Faults{TimeoutRate: 1, Hang: time.Hour}; return o }())
	if err != nil {
		t.Fatal(err)
	}
	c := sdkClient(t, s.URL(), testID, testKey, "")
	done := make(chan error, 1)
	go func() {
		_, err := c.SendSms(newRequest(tplNotice, []string{"a"}, mobiles(1, 0)...))
		done <- err
	}()
	for s.Count() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err == nil {
		t.Fatal("a held reply was answered after Close")
	}
}

func TestFaultValidation(t *testing.T) {
	s := startServer(t, nil)
	for _, f := range []Faults{
		{RequestErrors: map[string]float64{CodeInternalTimeout: 1.5}},
		{NumberErrors: map[string]float64{"a": 0.6, "b": 0.6}},
		{NumberErrors: map[string]float64{"": 0.1}},
		{TimeoutRate: -0.1},
		{Latency: -time.Second},
	} {
		if err := s.SetFaults(f); err == nil {
			t.Errorf("SetFaults(%+v) accepted", f)
		}
	}
}
