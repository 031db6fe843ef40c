package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/scf/host/hosttest"
	"github.com/smsjump/smsjump/shared/store"
)

// TestFunnelAndCallbackRoutes runs the built binary with callbacks on: an
// answered open and a beacon are counted, a receipt callback lands in the
// bucket's inbox, and a wrong token is a 404 that stores nothing.
func TestFunnelAndCallbackRoutes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bucket := filepath.Join(dir, "bucket")
	storeURL := "bolt://" + filepath.Join(dir, "state.db")
	const tok = "cbtoken0123456789abcdefXYZ"
	pool := hosttest.Start(t, ".", host.Config{
		Name: "get-scheme",
		Env: map[string]string{
			"WECHAT_APPID":     testAppID,
			"SCHEME_MODE":      "plaintext",
			"STORE_URL":        storeURL,
			"STATIC_CAMPAIGNS": `{"spring":{"path":"pages/index/index"}}`,
			"ALLOWED_ORIGINS":  "https://h5.example.cn",
			"CALLBACK_TOKEN":   tok,
			"SEND_BUCKET_URL":  "file://" + bucket,
		},
		Timeout:      10 * time.Second,
		MaxInstances: 1,
	})
	call := func(method, path string, query map[string]string, body string) integrated {
		t.Helper()
		ev, _ := json.Marshal(map[string]any{
			"httpMethod": method, "path": path, "queryString": query, "body": body,
			"headers": map[string]string{"origin": "https://h5.example.cn", "x-scf-remote-addr": "111.206.96.145",
				"user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148"},
		})
		out, err := pool.Invoke(ctx, ev, host.InvokeOptions{})
		if err != nil {
			t.Fatalf("invoke: %v", err)
		}
		var r integrated
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("response %s: %v", out, err)
		}
		return r
	}
	if r := call("GET", "/", map[string]string{"c": "spring"}, ""); r.StatusCode != 200 {
		t.Fatalf("open: %d %s", r.StatusCode, r.Body)
	}
	if r := call("POST", "/beacon", map[string]string{"c": "spring", "e": "jump"}, ""); r.StatusCode != 204 {
		t.Fatalf("beacon: %d %s", r.StatusCode, r.Body)
	}
	receipts := `[{"user_receive_time":"2026-11-28 12:00:00","nationcode":"86","mobile":"13900000001","report_status":"SUCCESS","errmsg":"DELIVRD","description":"ok","sid":"2019:1"}]`
	if r := call("POST", "/cb/wrong"+tok[5:]+"/sms-status", nil, receipts); r.StatusCode != 404 {
		t.Fatalf("wrong token: %d %s", r.StatusCode, r.Body)
	}
	if r := call("POST", "/cb/"+tok+"/sms-status", nil, receipts); r.StatusCode != 200 || r.Body != `{"result":0,"errmsg":"OK"}` {
		t.Fatalf("callback: %d %s", r.StatusCode, r.Body)
	}
	// A stop reply (one JSON object, doc 382/59179) goes onto the list.
	reply := `{"extend":"","mobile":"13900000002","nationcode":"86","sign":"示例商城","text":"ＴＤ","time":1764300000}`
	if r := call("POST", "/cb/"+tok+"/sms-reply", nil, reply); r.StatusCode != 200 || r.Body != `{"result":0,"errmsg":"OK"}` {
		t.Fatalf("reply callback: %d %s", r.StatusCode, r.Body)
	}
	entries, err := os.ReadDir(filepath.Join(bucket, "receipts", "inbox"))
	if err != nil || len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), ".jsonl") {
		t.Fatalf("inbox: %v %v, want one batch", entries, err)
	}
	st, err := store.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := funnel.Read(ctx, st, "spring")
	if err != nil {
		t.Fatal(err)
	}
	if s.Totals[funnel.Opened] != 1 || s.Totals[funnel.Jump] != 1 || s.ByPlatform[funnel.IOS][funnel.Opened] != 1 {
		t.Fatalf("funnel = %+v, want one iOS open and one jump", s)
	}
	k, _ := phone.Key("+8613900000002")
	if e, ok, err := audience.New(st, nil).List.Lookup(ctx, k); err != nil || !ok || e.Source != audience.SourceReply || e.Time != 1764300000 {
		t.Fatalf("suppression entry %+v %v %v", e, ok, err)
	}
}
