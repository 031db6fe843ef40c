package smsapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tcerr "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	smsv "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/v20210111"
)

func pull(t *testing.T, c *smsv.Client, limit uint64) ([]*smsv.PullSmsReplyStatus, error) {
	t.Helper()
	r := smsv.NewPullSmsReplyStatusRequest()
	r.SmsSdkAppId = common.StringPtr(testApp)
	r.Limit = common.Uint64Ptr(limit)
	resp, err := c.PullSmsReplyStatus(r)
	if err != nil {
		return nil, err
	}
	return resp.Response.PullSmsReplyStatusSet, nil
}

// TestPullReplies: the queue gives each reply once, oldest first, at most
// Limit per call, through the real SDK client.
func TestPullReplies(t *testing.T) {
	clk := newFakeClock(beijingTime(10, 0))
	s := startServer(t, func(o *Options) { o.Now = clk.Now })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	ctx := context.Background()
	for _, r := range []Reply{{Phone: "+8613800138000", Text: "Ｒ"}, {Phone: "13900139000", Text: "退订"}, {Phone: "+8615000150000", Text: "好的"}} {
		if err := s.Reply(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got, err := pull(t, c, 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("pull 2 = %v, %v", got, err)
	}
	first := got[0]
	if *first.PhoneNumber != "+8613800138000" || *first.SubscriberNumber != "13800138000" || *first.ReplyContent != "Ｒ" ||
		*first.SignName != testSign || *first.CountryCode != "86" || *first.ReplyTime != uint64(clk.Now().Unix()) {
		t.Errorf("first reply = %+v", first)
	}
	if *got[1].PhoneNumber != "+8613900139000" {
		t.Errorf("second reply phone = %s", *got[1].PhoneNumber)
	}
	if got, err := pull(t, c, 100); err != nil || len(got) != 1 || *got[0].ReplyContent != "好的" {
		t.Fatalf("pull rest = %v, %v", got, err)
	}
	if got, err := pull(t, c, 100); err != nil || len(got) != 0 {
		t.Fatalf("empty queue = %v, %v", got, err)
	}
	for _, bad := range []uint64{0, 101} {
		_, err := pull(t, c, bad)
		var sdk *tcerr.TencentCloudSDKError
		if !errors.As(err, &sdk) || sdk.Code != CodeInvalidParameterValue {
			t.Errorf("Limit %d: %v, want %s", bad, err, CodeInvalidParameterValue)
		}
	}
}

// TestReplyCallback: one JSON object per reply, as doc 382/59179 shows, and
// the sandbox insists on the documented acknowledgement.
func TestReplyCallback(t *testing.T) {
	var got []map[string]any
	ack := `{"result":0,"errmsg":"OK"}`
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("callback body %s: %v", b, err)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		got = append(got, m)
		io.WriteString(w, ack)
	}))
	defer cb.Close()
	s := startServer(t, nil)
	s.SetReplyCallback(cb.URL)
	if err := s.Reply(context.Background(), Reply{Phone: "+8613800138000", Text: "TD"}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("callbacks: %v", got)
	}
	for _, k := range []string{"extend", "mobile", "nationcode", "sign", "text", "time"} {
		if _, ok := got[0][k]; !ok {
			t.Errorf("callback lacks %q: %v", k, got[0])
		}
	}
	if got[0]["mobile"] != "13800138000" || got[0]["nationcode"] != "86" || got[0]["text"] != "TD" {
		t.Errorf("callback = %v", got[0])
	}
	if s.PendingReplies(testApp) != 1 {
		t.Errorf("the reply is also queued for PullSmsReplyStatus")
	}
	ack = `{"result":1,"errmsg":"bad"}`
	if err := s.Reply(context.Background(), Reply{Phone: "+8613800138000", Text: "R"}); err == nil || !strings.Contains(err.Error(), "result") {
		t.Errorf("a refused callback: %v", err)
	}
}

// TestBlacklistedMarketing: a number on the console's 退订 list gets
// PhoneNumberInBlacklist for marketing templates only.
func TestBlacklistedMarketing(t *testing.T) {
	clk := newFakeClock(beijingTime(10, 0))
	s := startServer(t, func(o *Options) { o.Now = clk.Now })
	s.Blacklist("13800138000")
	c := sdkClient(t, s.URL(), testID, testKey, "")
	resp, _ := send(t, c, newRequest(tplMarket, []string{"张三"}, "+8613800138000", "+8613900139000"))
	if got := codes(resp); got[0] != CodePhoneNumberInBlacklist || got[1] != CodeOK {
		t.Errorf("marketing codes = %v", got)
	}
	resp, _ = send(t, c, newRequest(tplNotice, []string{"张三"}, "+8613800138000"))
	if got := codes(resp); got[0] != CodeOK {
		t.Errorf("notification code = %v", got)
	}
}
