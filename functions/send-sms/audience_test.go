package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
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

// TestSIGKILLMidCountingCountsOnce: the function is killed while it sends
// a marketing campaign with a cap on; the retried event finishes the job.
// Every number is then in the sent ledger exactly once: at least once (a
// 1/1d cap leaves each out) and not twice (a 2/1d cap lets each through),
// also those the killed run had sent past its checkpoint and the resumed
// run sent again.
func TestSIGKILLMidCountingCountsOnce(t *testing.T) {
	if _, err := os.Stat("/proc/self/exe"); err != nil {
		t.Skip("needs /proc to find the function process")
	}
	storeURL := "bolt://" + filepath.Join(t.TempDir(), "state.db")
	h := newHarness(t, harnessConfig{
		faults: smsapi.Faults{Latency: 20 * time.Millisecond},
		env:    map[string]string{"SMS_QPS": "500", "SEND_LEASE_TTL": "1s", "STORE_URL": storeURL, "FREQUENCY_CAP": "5/1d"},
	})
	if err := h.srv.Approve(tplMarketID, smsapi.Template{Text: tplMarketText, Type: smsapi.Marketing}); err != nil {
		t.Fatal(err)
	}
	const n = 3000
	h.put("uploads/kill.csv", plainCSV(n))
	h.putManifest("kill", map[string]any{
		"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarketID, "template_text": tplMarketText,
		"target": map[string]any{"path": "pages/index/index"}, "params": []any{map[string]any{"column": "name"}},
	})
	ev := h.cosEvent("uploads/kill.csv")
	h.killOnceSent(ev, 1500)
	reply := h.invokeUntilDone(ev)
	s := h.summary("kill")
	if reply.Jobs[0].Status != send.StatusDone || s.Sent != n {
		t.Fatalf("not finished: %+v %+v", reply, s)
	}
	h.pool.Close() // the function's bolt handle is gone before we read
	ctx := context.Background()
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for cap, want := range map[string]audience.Verdict{"1/1d": audience.Capped, "2/1d": audience.Allow} {
		c, _ := audience.ParseCap(cap)
		g, err := audience.NewGate(audience.New(st, nil), c, nil).Begin(ctx, audience.Job{ID: "probe", Marketing: true, DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		wrong := 0
		for _, r := range h.results("kill") {
			if g.Check(r.Phone) != want {
				wrong++
			}
		}
		if wrong > 0 {
			t.Errorf("cap %s: %d of %d numbers not %v (in flight at the crash: %d)", cap, wrong, n, want, s.InFlightAtCrash)
		}
	}
	t.Logf("%d rows in flight at the kill, %d messages in all", s.InFlightAtCrash, h.srv.Count())
}
