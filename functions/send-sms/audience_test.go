package main

import (
	"context"
	"testing"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/send"
)

// TestListsThroughTheFunction runs the built send-sms as SCF does: a COS
// event for suppress/vip.csv lists two numbers, a campaign leaves them out;
// unsuppress/fix.csv takes one back, a reply 「TD」 pulled by the timer
// takes another out, and the next campaign follows both.
func TestListsThroughTheFunction(t *testing.T) {
	h := newHarness(t, harnessConfig{env: map[string]string{"FREQUENCY_CAP": "3/1d"}})
	if err := h.srv.Approve(tplMarketID, smsapi.Template{Text: tplMarketText, Type: smsapi.Marketing}); err != nil {
		t.Fatal(err)
	}
	market := map[string]any{
		"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarketID, "template_text": tplMarketText,
		"target": map[string]any{"path": "pages/index/index"}, "params": []any{map[string]any{"column": "name"}},
	}
	list := "phone,name\n13800000001,a\n13800000002,b\n13800000003,c\n13800000004,d\n"
	campaign := func(name string) map[string]send.Result {
		t.Helper()
		h.put("uploads/"+name+".csv", []byte(list))
		h.putManifest(name, market)
		reply, err := h.invoke(h.cosEvent("uploads/" + name + ".csv"))
		if err != nil || reply.Jobs[0].Status != send.StatusDone {
			t.Fatalf("%s: %+v %v", name, reply, err)
		}
		out := map[string]send.Result{}
		for _, r := range h.results(name) {
			out[r.Phone] = r
		}
		return out
	}
	h.put("suppress/vip.csv", []byte("手机号\n13800000001\n138 0000 0002\n"))
	if reply, err := h.invoke(h.cosEvent("suppress/vip.csv")); err != nil || len(reply.Jobs) != 1 || reply.Jobs[0].Note != "applied" {
		t.Fatalf("suppress upload: %+v %v", reply, err)
	}
	a := campaign("a")
	for p, want := range map[string]string{"+8613800000001": "opted_out", "+8613800000002": "opted_out", "+8613800000003": "", "+8613800000004": ""} {
		if got := a[p].Reason; got != want {
			t.Errorf("campaign a, %s: reason %q, want %q", p, got, want)
		}
	}

	h.put("unsuppress/fix.csv", []byte("phone\n13800000002\n"))
	if _, err := h.invoke(h.cosEvent("unsuppress/fix.csv")); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Reply(context.Background(), smsapi.Reply{Phone: "13800000003", Text: "ｔｄ"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.invoke([]byte(timerEvent)); err != nil {
		t.Fatal(err)
	}
	b := campaign("b")
	for p, want := range map[string]string{"+8613800000001": "opted_out", "+8613800000002": "", "+8613800000003": "opted_out", "+8613800000004": ""} {
		if got := b[p].Reason; got != want {
			t.Errorf("campaign b, %s: reason %q, want %q", p, got, want)
		}
	}
	if c := h.srv.CountFor("+8613800000003"); c != 1 {
		t.Errorf("number 3 got %d messages, want 1 (campaign a only)", c)
	}
}
