package sms

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
)

// TestPullStatuses: the sandbox decides a receipt for every accepted number
// by the policy's shares; each is pulled once, without the phone number.
func TestPullStatuses(t *testing.T) {
	sb := startSandbox(t, func(o *smsapi.Options) {
		o.Receipts = smsapi.ReceiptPolicy{Delivered: 0.6, Failed: 0.3}
	})
	tc := newTencent(t, sb.URL(), nil)
	ctx := context.Background()
	sts, err := tc.Send(ctx, batch(200, 1))
	if err != nil {
		t.Fatal(err)
	}
	serials := map[string]bool{}
	for _, s := range sts {
		serials[s.SerialNo] = true
	}
	var got []Delivery
	for {
		ds, err := tc.PullStatuses(ctx, sbApp, 500) // clamped to 100
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) > MaxPullStatuses {
			t.Fatalf("one pull returned %d", len(ds))
		}
		if len(ds) == 0 {
			break
		}
		got = append(got, ds...)
	}
	delivered, failed := 0, 0
	for _, d := range got {
		if !serials[d.SerialNo] || d.Received.IsZero() || d.Detail == "" {
			t.Fatalf("receipt %+v does not belong to the send", d)
		}
		delete(serials, d.SerialNo) // each once
		if d.Delivered {
			delivered++
		} else {
			failed++
		}
	}
	// 200 numbers at 60 % / 30 % / 10 %: a hash spreads them; allow ±15.
	if delivered < 105 || delivered > 135 || failed < 45 || failed > 75 || len(got) > 195 || len(got) < 165 {
		t.Fatalf("%d delivered, %d failed, %d never reported; want about 120/60/20", delivered, failed, 200-len(got))
	}
	_, err = tc.PullStatuses(ctx, "1400999999", 10)
	if CodeOf(err) != "InvalidParameterValue.SdkAppIdNotExist" || ClassOf(err) != Fatal {
		t.Errorf("unknown app: %v", err)
	}
}

// TestStatusCallback: with a callback URL set, the sandbox POSTs the
// documented JSON array (several reports per POST) and expects result 0.
func TestStatusCallback(t *testing.T) {
	bodies := make(chan []map[string]any, 4)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var arr []map[string]any
		if err := json.Unmarshal(b, &arr); err != nil {
			t.Errorf("callback body %s: %v", b, err)
		}
		bodies <- arr
		_, _ = w.Write([]byte(`{"result":0,"errmsg":"OK"}`))
	}))
	defer cb.Close()
	sb := startSandbox(t, func(o *smsapi.Options) { o.Receipts = smsapi.ReceiptPolicy{Delivered: 1} })
	sb.SetStatusCallback(cb.URL)
	tc := newTencent(t, sb.URL(), nil)
	if _, err := tc.Send(context.Background(), batch(3, 1)); err != nil {
		t.Fatal(err)
	}
	select {
	case arr := <-bodies:
		if len(arr) != 3 {
			t.Fatalf("callback carried %d reports, want 3 in one POST", len(arr))
		}
		for _, k := range []string{"user_receive_time", "nationcode", "mobile", "report_status", "errmsg", "description", "sid"} {
			if _, ok := arr[0][k]; !ok {
				t.Errorf("callback item lacks %q: %v", k, arr[0])
			}
		}
		if arr[0]["report_status"] != "SUCCESS" || arr[0]["errmsg"] != "DELIVRD" {
			t.Errorf("item %v", arr[0])
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no status callback")
	}
	// Both ways: the same receipts also wait in the pull queue.
	if n := sb.PendingStatuses(sbApp); n != 3 {
		t.Errorf("pull queue holds %d, want 3", n)
	}
}
