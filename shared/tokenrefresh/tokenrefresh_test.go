package tokenrefresh

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/scf"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/token"
	"github.com/smsjump/smsjump/shared/wechat"
)

func setup(t *testing.T, warnBelow int) (*Service, *wxapi.Server, *bytes.Buffer, string) {
	t.Helper()
	wx, err := wxapi.Start(wxapi.Options{AppID: "wxq", Secret: "s", RemainVisitQuota: 5000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	st, _ := store.Open(context.Background(), "mem://")
	wc := wechat.New(wx.URL(), "wxq", "s", nil)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	src := token.New(wc, st, token.Options{AppID: "wxq", Logger: log})
	tok, err := src.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sch, err := wc.GenerateScheme(context.Background(), tok, wechat.SchemeRequest{Path: "pages/index/index", ExpireInterval: 1})
	if err != nil {
		t.Fatal(err)
	}
	return &Service{Tokens: src, WeChat: wc, WarnBelow: warnBelow, Logger: log}, wx, &logs, sch.OpenLink
}

func TestProbeWarnsBelowThreshold(t *testing.T) {
	svc, _, logs, scheme := setup(t, 10000)
	svc.ProbeScheme = scheme
	res, err := svc.Handle(context.Background(), scf.TimerEvent{TriggerName: "t", Time: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if res.RemainVisitQuota == nil || *res.RemainVisitQuota != 5000 {
		t.Fatalf("quota: %+v", res)
	}
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"scheme open quota is running low"`) {
		t.Fatalf("no low-quota warning:\n%s", logs)
	}
	if strings.Contains(logs.String(), svc.ProbeScheme) {
		t.Fatalf("probe scheme leaked into logs")
	}
}

func TestProbeFailureDoesNotFailTheRefresh(t *testing.T) {
	svc, wx, logs, _ := setup(t, 10)
	svc.ProbeScheme = "weixin://dl/business/?t=unknown"
	wx.Inject(wxapi.PathQueryScheme, 85403, 1)
	res, err := svc.Handle(context.Background(), scf.TimerEvent{})
	if err != nil {
		t.Fatalf("a bad probe failed the refresh: %v", err)
	}
	if res.RemainVisitQuota != nil || !strings.Contains(logs.String(), "QUOTA_PROBE_SCHEME") {
		t.Fatalf("res %+v, logs:\n%s", res, logs)
	}
}

func TestRefreshErrorIsReturned(t *testing.T) {
	svc, wx, _, _ := setup(t, 10)
	st, _ := store.Open(context.Background(), "mem://")
	svc.Tokens = token.New(wechat.New(wx.URL(), "wxq", "s", nil), st, token.Options{AppID: "wxq"})
	wx.Inject(wxapi.PathStableToken, 40164, 1)
	if _, err := svc.Handle(context.Background(), scf.TimerEvent{}); err == nil || !strings.Contains(err.Error(), "40164") {
		t.Fatalf("want the 40164 error so SCF records a failed run, got %v", err)
	}
}
