package smsapi

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
)

func TestOutboxKeepsMessages(t *testing.T) {
	clock := newFakeClock(beijingTime(10, 0))
	s := startServer(t, func(o *Options) { o.Now = clock.Now })
	var mu sync.Mutex
	var seen []Message
	cancel := s.Subscribe(func(m Message) {
		mu.Lock()
		seen = append(seen, m)
		mu.Unlock()
	})
	c := sdkClient(t, s.URL(), testID, testKey, "")
	r := newRequest(tplNotice, []string{"张三"}, append(mobiles(2, 0), "+8612")...)
	r.SessionContext = common.StringPtr("row=1")
	resp, code := send(t, c, r)
	if code != "" {
		t.Fatal(code)
	}

	msgs := s.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2 (the invalid number is not delivered)", len(msgs))
	}
	want := "【小程序助手】您好张三，活动已开始，点击 https://h5.example.cn/?c=spring 进入"
	for i, m := range msgs {
		st := resp.SendStatusSet[i]
		switch {
		case m.Text != want:
			t.Errorf("Text %q, want %q", m.Text, want)
		case m.Phone != *st.PhoneNumber || m.SerialNo != *st.SerialNo || m.Fee != int(*st.Fee):
			t.Errorf("message %+v does not match status %+v", m, st)
		case m.SessionContext != "row=1" || m.RequestID != *resp.RequestId || !m.Time.Equal(clock.Now()):
			t.Errorf("message %+v: context, request id or time wrong", m)
		case m.SdkAppID != testApp || m.SignName != testSign || m.TemplateID != tplNotice || !slices.Equal(m.Params, []string{"张三"}) || m.IsoCode != "CN":
			t.Errorf("message %+v: request fields wrong", m)
		}
	}
	mu.Lock()
	if len(seen) != 2 || seen[0].SerialNo != msgs[0].SerialNo {
		t.Errorf("subscriber saw %d messages", len(seen))
	}
	mu.Unlock()

	cancel()
	if _, code := send(t, c, newRequest(tplNotice, []string{"李四"}, mobiles(1, 0)...)); code != "" {
		t.Fatal(code)
	}
	mu.Lock()
	if len(seen) != 2 {
		t.Errorf("subscriber called after cancel: %d messages", len(seen))
	}
	mu.Unlock()

	if got := s.Counts(); got[mobiles(1, 0)[0]] != 2 || got[mobiles(2, 0)[1]] != 1 || len(got) != 2 {
		t.Errorf("Counts = %v", got)
	}
	st := s.Stats()
	if st.Requests != 2 || st.Accepted != 3 || st.Billed != 3 || st.NumberCodes[CodeOK] != 3 || st.NumberCodes[CodeIncorrectPhoneNumber] != 1 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestOutboxCountersOnly(t *testing.T) {
	s := startServer(t, func(o *Options) { o.KeepMessages = false })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	if _, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(200, 0)...)); code != "" {
		t.Fatal(code)
	}
	if n := len(s.Messages()); n != 0 {
		t.Errorf("KeepMessages=false kept %d messages", n)
	}
	if s.Count() != 200 || s.CountFor(mobiles(1, 199)[0]) != 1 || s.CountFor("+8613999999999") != 0 {
		t.Errorf("Count %d, CountFor %d", s.Count(), s.CountFor(mobiles(1, 199)[0]))
	}
}

func TestReset(t *testing.T) {
	s := startServer(t, nil)
	c := sdkClient(t, s.URL(), testID, testKey, "")
	resp, _ := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...))
	first := *resp.SendStatusSet[0].SerialNo
	s.Reset()
	if s.Count() != 0 || len(s.Messages()) != 0 || s.Stats().Requests != 0 {
		t.Fatal("Reset kept state")
	}
	// Limits start over: the same content to the same number is accepted.
	resp, _ = send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 0)...))
	if got := codes(resp)[0]; got != CodeOK {
		t.Fatalf("after Reset: %s", got)
	}
	if *resp.SendStatusSet[0].SerialNo == first {
		t.Fatal("SerialNo repeated across Reset")
	}
}

// Many workers at once: every message is counted exactly once (run with
// -race).
func TestConcurrentSends(t *testing.T) {
	s := startServer(t, func(o *Options) {
		o.KeepMessages = false
		o.SameContentInterval = -1
		o.DailyLimit = -1
		o.Now = func() time.Time { return beijingTime(12, 0) }
		o.QPS = -1
	})
	const workers, rounds, batch = 8, 25, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			c := sdkClient(t, s.URL(), testID, testKey, "")
			for r := range rounds {
				resp, err := c.SendSms(newRequest(tplNotice, []string{fmt.Sprint(w)}, mobiles(batch, r*batch)...))
				if err != nil {
					errs <- err
					return
				}
				for _, st := range resp.Response.SendStatusSet {
					if *st.Code != CodeOK {
						errs <- fmt.Errorf("%s", *st.Code)
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := s.Count(); got != workers*rounds*batch {
		t.Fatalf("Count = %d, want %d", got, workers*rounds*batch)
	}
	for phone, n := range s.Counts() {
		if n != workers {
			t.Fatalf("%s received %d, want %d", phone, n, workers)
		}
	}
}
