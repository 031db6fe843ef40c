package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/scf/host/hosttest"
)

const (
	testAppID  = "wx0123456789abcdef"
	testSecret = "0123456789abcdef0123456789abcdef"
)

type integrated struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
}

// TestBinaryThroughRuntimeHost runs the built get-scheme binary the way SCF
// does (Go1 protocol over net/rpc) with a Function URL event and a legacy
// API Gateway event, against the sandbox WeChat API and a bolt store.
func TestBinaryThroughRuntimeHost(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	wx, err := wxapi.Start(wxapi.Options{AppID: testAppID, Secret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	defer wx.Close()
	pool := hosttest.Start(t, ".", host.Config{
		Name: "get-scheme",
		Env: map[string]string{
			"WECHAT_APPID":     testAppID,
			"WECHAT_SECRET":    testSecret,
			"WECHAT_API_BASE":  wx.URL(),
			"STORE_URL":        "bolt://" + filepath.Join(dir, "state.db"),
			"STATIC_CAMPAIGNS": `{"spring":{"path":"pages/index/index","query":"from=sms"}}`,
			"ALLOWED_ORIGINS":  "https://h5.example.cn",
		},
		Timeout:      10 * time.Second,
		MaxInstances: 2,
	})

	invoke := func(event []byte) integrated {
		t.Helper()
		out, err := pool.Invoke(ctx, event, host.InvokeOptions{})
		if err != nil {
			t.Fatalf("invoke: %v", err)
		}
		var r integrated
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatalf("response %s: %v", out, err)
		}
		return r
	}

	var openlink string
	for _, name := range []string{"function_url.json", "apigw.json"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		r := invoke(raw)
		var a struct {
			OpenLink string `json:"openlink"`
			Mode     string `json:"mode"`
			Path     string `json:"path"`
		}
		if err := json.Unmarshal([]byte(r.Body), &a); err != nil || r.StatusCode != 200 {
			t.Fatalf("%s: %d %s", name, r.StatusCode, r.Body)
		}
		if !strings.HasPrefix(a.OpenLink, "weixin://dl/business/?t=") || !strings.HasSuffix(a.OpenLink, "&cq=sms") || a.Path != "pages/index/index" {
			t.Errorf("%s: answer %+v", name, a)
		}
		if r.Headers["Cache-Control"] != "no-store" || r.Headers["Access-Control-Allow-Origin"] != "https://h5.example.cn" {
			t.Errorf("%s: headers %v", name, r.Headers)
		}
		if openlink != "" && a.OpenLink != openlink {
			t.Errorf("%s: openlink %q differs from %q", name, a.OpenLink, openlink)
		}
		openlink = a.OpenLink
	}
	if n := wx.Calls(wxapi.PathGenerateScheme); n != 1 {
		t.Errorf("generatescheme calls = %d, want 1", n)
	}

	// An unknown campaign costs no WeChat call.
	wx.ResetCalls()
	r := invoke([]byte(`{"httpMethod":"GET","path":"/","headers":{"x-scf-remote-addr":"1.2.3.4"},"queryString":{"c":"winter"}}`))
	if r.StatusCode != 404 || !strings.Contains(r.Body, `"not_found"`) {
		t.Errorf("unknown campaign: %d %s", r.StatusCode, r.Body)
	}
	if n := wx.Calls(wxapi.PathGenerateScheme) + wx.Calls(wxapi.PathStableToken); n != 0 {
		t.Errorf("unknown campaign made %d WeChat calls", n)
	}
	// A payload that is not JSON still gets a 400 answer, not a function error.
	if r := invoke([]byte(`not json`)); r.StatusCode != 400 {
		t.Errorf("garbage event: %d %s", r.StatusCode, r.Body)
	}
}

// TestBadConfigFailsEveryInvocation: a broken environment is reported on
// each invocation, naming what to set.
func TestBadConfigFailsEveryInvocation(t *testing.T) {
	pool := hosttest.Start(t, ".", host.Config{Name: "get-scheme", Env: map[string]string{"RATE_LIMIT_PER_IP": "fast"}})
	_, err := pool.Invoke(context.Background(), []byte(`{"httpMethod":"GET","path":"/"}`), host.InvokeOptions{})
	var fe *host.FunctionError
	if !errors.As(err, &fe) {
		t.Fatalf("want a function error, got %v", err)
	}
	for _, want := range []string{"WECHAT_APPID", "WECHAT_SECRET", "RATE_LIMIT_PER_IP"} {
		if !strings.Contains(fe.Message, want) {
			t.Errorf("error does not name %s: %s", want, fe.Message)
		}
	}
}
