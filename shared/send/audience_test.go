package send

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/optout"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sms"
)

// marketManifest is a marketing campaign. The sandbox's template links to
// c=spring, so every upload is campaign spring; each upload is its own job,
// which is what the list and the cap count.
func marketManifest(string) map[string]any {
	return map[string]any{
		"campaign_id": "spring", "sms_type": "marketing", "template_id": tplMarket,
		"template_text": templates[tplMarket].Text,
		"target":        map[string]any{"path": "pages/index/index"},
		"params":        []any{map[string]any{"column": "name"}},
	}
}

// businessHours is the sandbox's clock: inside the marketing window.
func businessHours() time.Time { return sandboxOptions().Now() }

// withAudience gives the env an audience gate with cap (e.g. "1/24h").
func withAudience(t testing.TB, cap string) func(*Options) {
	return func(o *Options) {
		c, err := audience.ParseCap(cap)
		if err != nil {
			t.Fatal(err)
		}
		o.Now = businessHours
		o.Audience = audience.NewGate(audience.New(o.Store, o.Now), c, nil)
	}
}

func csvOf(ns ...int) []byte {
	var b strings.Builder
	b.WriteString("phone,name\n")
	for _, n := range ns {
		fmt.Fprintf(&b, "%s,用户%d\n", phoneN(n), n)
	}
	return []byte(b.String())
}

func (e *env) campaign(name string, m map[string]any, ns ...int) []Result {
	e.t.Helper()
	e.putManifest(name, m)
	e.put("uploads/"+name+".csv", csvOf(ns...))
	if out := e.run(context.Background(), name); out.Status != StatusDone {
		e.t.Fatalf("%s: %+v", name, out)
	}
	return e.results(name)
}

func byPhone(rows []Result) map[string]Result {
	m := map[string]Result{}
	for _, r := range rows {
		m[r.Phone] = r
	}
	return m
}

// TestReplyROptsOutOfLaterCampaigns: the recipient of campaign A replies
// 「R」; the timer pulls the reply; campaign B leaves the number out.
func TestReplyROptsOutOfLaterCampaigns(t *testing.T) {
	e := newEnv(t, withAudience(t, ""), nil)
	ctx := context.Background()
	e.campaign("a", marketManifest("a"), 1, 2, 3)
	if err := e.srv.Reply(ctx, smsapi.Reply{Phone: e164(2), Text: "Ｒ"}); err != nil {
		t.Fatal(err)
	}
	svc := optout.New(audience.New(e.st, businessHours), nil, nil)
	if _, stops, err := svc.Pull(ctx, e.opts.Sender.(sms.ReplyPuller), testApp, 5); err != nil || stops != 1 {
		t.Fatalf("Pull: %d stops, %v", stops, err)
	}
	rows := byPhone(e.campaign("b", marketManifest("b"), 1, 2, 3, 4))
	if r := rows[e164(2)]; r.State != StateNotSent || r.Reason != ReasonOptedOut || r.Fee != 0 {
		t.Errorf("number 2 in campaign b: %+v, want not_sent/opted_out", r)
	}
	for _, n := range []int{1, 3, 4} {
		if r := rows[e164(n)]; r.State != StateSent {
			t.Errorf("number %d: %+v", n, r)
		}
	}
	if c := e.countOutbox(); c[e164(2)] != 1 || c[e164(1)] != 2 {
		t.Errorf("outbox %v: number 2 heard only campaign a", c)
	}
	s := e.summary("b")
	if s.NotSent != 1 || s.ByReason[ReasonOptedOut] != 1 || s.Sent != 3 {
		t.Errorf("summary %+v", s)
	}
	// The entry remembers the campaign the reply answered.
	k, _ := phone.Key(e164(2))
	if ent, ok, _ := audience.New(e.st, nil).List.Lookup(ctx, k); !ok || ent.Via != "spring" || ent.Source != audience.SourceReply {
		t.Errorf("list entry %+v %v", ent, ok)
	}
}

// TestThreeCampaignsOneDayUnderCap: under 1/24h three campaigns of one day
// to overlapping lists send each number exactly once.
func TestThreeCampaignsOneDayUnderCap(t *testing.T) {
	e := newEnv(t, withAudience(t, "1/24h"), nil)
	a := byPhone(e.campaign("a", marketManifest("a"), 1, 2, 3))
	b := byPhone(e.campaign("b", marketManifest("b"), 2, 3, 4, 5))
	c := byPhone(e.campaign("c", marketManifest("c"), 1, 4, 5, 6))
	for n, c := range e.countOutbox() {
		if c != 1 {
			t.Errorf("%s got %d messages", n, c)
		}
	}
	if len(e.countOutbox()) != 6 {
		t.Errorf("outbox %v, want 6 numbers", e.countOutbox())
	}
	for _, r := range []Result{b[e164(2)], b[e164(3)], c[e164(1)], c[e164(4)], c[e164(5)]} {
		if r.State != StateNotSent || r.Reason != ReasonFrequencyCapped {
			t.Errorf("row %+v, want frequency_capped", r)
		}
	}
	if a[e164(1)].State != StateSent || c[e164(6)].State != StateSent {
		t.Errorf("first messages: %+v %+v", a[e164(1)], c[e164(6)])
	}
}

// TestBlacklistAnswerSuppresses: a PhoneNumberInBlacklist answer puts the
// number on the list; the next campaign does not even call for it.
func TestBlacklistAnswerSuppresses(t *testing.T) {
	e := newEnv(t, withAudience(t, ""), nil)
	e.srv.Blacklist(e164(3))
	a := byPhone(e.campaign("a", marketManifest("a"), 1, 3))
	if r := a[e164(3)]; r.State != StateFailed || r.Code != codeBlacklisted {
		t.Fatalf("blacklisted row %+v", r)
	}
	before := e.srv.Stats().NumberCodes[smsapi.CodePhoneNumberInBlacklist]
	b := byPhone(e.campaign("b", marketManifest("b"), 1, 3))
	if r := b[e164(3)]; r.State != StateNotSent || r.Reason != ReasonOptedOut {
		t.Errorf("row in b %+v", r)
	}
	if after := e.srv.Stats().NumberCodes[smsapi.CodePhoneNumberInBlacklist]; after != before {
		t.Errorf("campaign b still asked SendSms for the blacklisted number")
	}
}

// TestNotificationsIgnoreOptOutsUnlessAsked: marketing opt-outs do not
// filter notifications, unless the manifest says respect_opt_outs.
func TestNotificationsIgnoreOptOutsUnlessAsked(t *testing.T) {
	e := newEnv(t, withAudience(t, "1/24h"), nil)
	k, _ := phone.Key(e164(1))
	if _, err := audience.New(e.st, nil).List.Add(context.Background(), []audience.Entry{{Key: k, Source: audience.SourceReply}}); err != nil {
		t.Fatal(err)
	}
	n := byPhone(e.campaign("n", noticeManifest, 1, 2))
	if n[e164(1)].State != StateSent {
		t.Errorf("notification to an opted-out number: %+v", n[e164(1)])
	}
	m := map[string]any{"respect_opt_outs": true}
	for k, v := range noticeManifest {
		m[k] = v
	}
	n2 := byPhone(e.campaign("n2", m, 1, 2))
	if n2[e164(1)].Reason != ReasonOptedOut || n2[e164(2)].State != StateSent {
		t.Errorf("respect_opt_outs: %+v %+v (notifications are never capped)", n2[e164(1)], n2[e164(2)])
	}
}
