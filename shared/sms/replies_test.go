package sms

import (
	"context"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

func TestPullReplies(t *testing.T) {
	sb := startSandbox(t, nil)
	tc := newTencent(t, sb.URL(), nil)
	ctx := context.Background()
	at := time.Unix(1772330400, 0)
	if err := sb.Reply(ctx, smsapi.Reply{Phone: "13800138000", Text: "ｔｄ", Time: at}); err != nil {
		t.Fatal(err)
	}
	got, err := tc.PullReplies(ctx, sbApp, 500) // clamped to 100
	if err != nil || len(got) != 1 {
		t.Fatalf("PullReplies = %v, %v", got, err)
	}
	if r := got[0]; r.Phone != "+8613800138000" || r.Text != "ｔｄ" || !r.Time.Equal(at) || r.SignName != sbSign {
		t.Errorf("reply = %+v", r)
	}
	if got, err := tc.PullReplies(ctx, sbApp, 10); err != nil || len(got) != 0 {
		t.Errorf("second pull = %v, %v (each reply is given once)", got, err)
	}
	_, err = tc.PullReplies(ctx, "1400999999", 10)
	if CodeOf(err) != "InvalidParameterValue.SdkAppIdNotExist" || ClassOf(err) != Fatal {
		t.Errorf("unknown app: %v (code %s, class %v)", err, CodeOf(err), ClassOf(err))
	}
}
