package optout

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/tccred"
)

func newService(t *testing.T) (*Service, *audience.Audience) {
	t.Helper()
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	aud := audience.New(st, nil)
	return New(aud, nil, slog.New(slog.DiscardHandler)), aud
}

func key(t *testing.T, raw string) uint64 {
	t.Helper()
	e, ok := phone.Mainland(raw)
	if !ok {
		t.Fatalf("%q is no mainland mobile number", raw)
	}
	k, _ := phone.Key(e)
	return k
}

func listed(t *testing.T, aud *audience.Audience, raw string) (audience.Entry, bool) {
	t.Helper()
	e, ok, err := aud.List.Lookup(context.Background(), key(t, raw))
	if err != nil {
		t.Fatal(err)
	}
	return e, ok
}

func TestRepliesAttributed(t *testing.T) {
	svc, aud := newService(t)
	ctx := context.Background()
	rec, err := aud.Ledger.Recorder(ctx, "job-a", "spring", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Commit(ctx, 0, []uint64{key(t, "13800138000")}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Minute).Truncate(time.Second)
	n, err := svc.Replies(ctx, []sms.Reply{
		{Phone: "+8613800138000", Text: "Ｒ", Time: at},
		{Phone: "+8613900139000", Text: "谢谢"},
		{Phone: "+8615000150000", Text: "退订"},
	})
	if err != nil || n != 2 {
		t.Fatalf("Replies = %d, %v", n, err)
	}
	if e, ok := listed(t, aud, "13800138000"); !ok || e.Source != audience.SourceReply || e.Via != "spring" || e.Time != at.Unix() {
		t.Errorf("entry = %+v, %v; want a reply opt-out for spring at the reply's time", e, ok)
	}
	if _, ok := listed(t, aud, "13900139000"); ok {
		t.Error("a thank-you reply suppressed the number")
	}
	if e, ok := listed(t, aud, "15000150000"); !ok || e.Via != "" {
		t.Errorf("unattributed opt-out = %+v, %v", e, ok)
	}
}

func sandbox(t *testing.T) (*smsapi.Server, *sms.Tencent) {
	t.Helper()
	sb, err := smsapi.Start(smsapi.Options{
		Credentials: map[string]smsapi.Credential{"AKIDoptout": {SecretKey: "optoutKey"}},
		SdkAppIDs:   []string{"1400000001"}, SignNames: []string{"示例商城"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	tc, err := sms.NewTencent(sms.TencentConfig{
		Endpoint: sb.URL(), Logger: slog.New(slog.DiscardHandler),
		Credentials: func() (tccred.Credentials, error) {
			return tccred.Credentials{SecretID: "AKIDoptout", SecretKey: "optoutKey"}, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb, tc
}

// TestPullDrainsQueue: 250 replies take three pulls; every stop reply lands.
func TestPullDrainsQueue(t *testing.T) {
	svc, aud := newService(t)
	sb, tc := sandbox(t)
	ctx := context.Background()
	for i := range 250 {
		text := "好的"
		if i%5 == 0 {
			text = "td"
		}
		if err := sb.Reply(ctx, smsapi.Reply{Phone: "+86138" + leftPad(i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	pulled, stops, err := svc.Pull(ctx, tc, "1400000001", 10)
	if err != nil || pulled != 250 || stops != 50 {
		t.Fatalf("Pull = %d pulled, %d stops, %v", pulled, stops, err)
	}
	set, _ := aud.List.Load(ctx)
	if set.Len() != 50 {
		t.Errorf("%d numbers listed, want 50", set.Len())
	}
	if sb.PendingReplies("1400000001") != 0 {
		t.Error("queue not drained")
	}
}

func leftPad(i int) string { return fmt.Sprintf("%08d", i) }

// TestCallback: the sandbox's reply callback reaches the handler and the
// number is listed; malformed bodies get a JSON error.
func TestCallback(t *testing.T) {
	svc, aud := newService(t)
	sb, _ := sandbox(t)
	srv := httptest.NewServer(svc.CallbackHandler())
	defer srv.Close()
	sb.SetReplyCallback(srv.URL)
	if err := sb.Reply(context.Background(), smsapi.Reply{Phone: "13800138000", Text: "拒收"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := listed(t, aud, "13800138000"); !ok {
		t.Fatal("callback reply not listed")
	}
	for _, body := range []string{"not json", `{"text":"R"}`, `[{"mobile":1}]`} {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Result  int    `json:"result"`
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || e.Result == 0 || e.Error != "bad_request" || e.Message == "" {
			t.Errorf("%q: %d %+v", body, resp.StatusCode, e)
		}
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", resp.StatusCode)
	}
}
