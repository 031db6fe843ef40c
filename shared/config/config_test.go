package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.WeChat.APIBase != "https://api.weixin.qq.com" || c.WeChat.EnvVersion != "release" {
		t.Errorf("wechat defaults: %+v", c.WeChat)
	}
	if c.Scheme.Mode != "encrypted" || c.Scheme.TTLDays != 30 || c.Scheme.FallbackPlaintext {
		t.Errorf("scheme defaults: %+v", c.Scheme)
	}
	if c.SMS.Region != "ap-guangzhou" || c.SMS.QPS != 3000 {
		t.Errorf("sms defaults: %+v", c.SMS)
	}
	if c.Token.RefreshMargin != 10*time.Minute {
		t.Errorf("margin default: %v", c.Token.RefreshMargin)
	}
	if c.StoreURL != DefaultLocalStore {
		t.Errorf("store default off SCF: %q", c.StoreURL)
	}
}

func TestLoadNamesEveryProblem(t *testing.T) {
	_, err := Load(env(map[string]string{
		"TENCENTCLOUD_RUNENV":  "SCF",
		"SCHEME_TTL_DAYS":      "45",
		"WECHAT_ENV_VERSION":   "beta",
		"TOKEN_REFRESH_MARGIN": "soon",
		"ALLOWED_ORIGINS":      "https://ok.example.cn, not-an-origin",
		"BUCKET":               "nobucketappid",
	}), NeedWeChat, NeedStore, NeedSMS)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	for _, want := range []string{"WECHAT_APPID", "WECHAT_SECRET", "STORE_URL", "SMS_SDK_APP_ID", "SMS_SIGN_NAME", "SMS_TEMPLATE_ID",
		"SCHEME_TTL_DAYS", "WECHAT_ENV_VERSION", "TOKEN_REFRESH_MARGIN", "not-an-origin", "BUCKET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s:\n%v", want, err)
		}
	}
	if len(ce.Problems) != 11 {
		t.Errorf("want 11 problems, got %d:\n%v", len(ce.Problems), err)
	}
}

func TestLoadOnlyAsksForWhatIsNeeded(t *testing.T) {
	if _, err := Load(env(map[string]string{"TENCENTCLOUD_RUNENV": "SCF", "STORE_URL": "redis://10.0.0.5:6379"}), NeedStore); err != nil {
		t.Fatalf("store-only function should not need WeChat or SMS: %v", err)
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(map[string]string{
		"WECHAT_APPID":              "wx123",
		"WECHAT_SECRET":             "s3cr3t",
		"WECHAT_API_BASE":           "http://127.0.0.1:9000/",
		"SCHEME_MODE":               "plaintext",
		"SCHEME_FALLBACK_PLAINTEXT": "true",
		"ALLOWED_ORIGINS":           "https://h5.example.cn/, http://127.0.0.1:8080",
		"STATIC_CAMPAIGNS":          `{"poster":{"path":"pages/index/index","query":"from=poster","start":"2026-01-01T00:00:00+08:00"}}`,
		"BUCKET":                    "smsjump-1250000000",
		"COS_REGION":                "ap-shanghai",
		"COS_PATH_STYLE":            "1",
	}), NeedWeChat, NeedBucket)
	if err != nil {
		t.Fatal(err)
	}
	if c.WeChat.APIBase != "http://127.0.0.1:9000" {
		t.Errorf("trailing slash kept: %q", c.WeChat.APIBase)
	}
	if got := strings.Join(c.CORS.AllowedOrigins, " "); got != "https://h5.example.cn http://127.0.0.1:8080" {
		t.Errorf("origins: %q", got)
	}
	p, ok := c.Campaigns["poster"]
	if !ok || p.Path != "pages/index/index" || p.Query != "from=poster" || p.Start.IsZero() {
		t.Errorf("static campaigns: %+v", c.Campaigns)
	}
	if !c.COS.PathStyle || c.Scheme.Mode != "plaintext" || !c.Scheme.FallbackPlaintext {
		t.Errorf("values: %+v %+v", c.COS, c.Scheme)
	}
}

func TestStaticCampaignsRejected(t *testing.T) {
	for _, v := range []string{
		`{"Bad Id":{"path":"p"}}`,
		`{"x":{}}`,
		`{"x":{"path":"p","env_version":"prod"}}`,
		`{"x":{"path":"p","start":"2026-02-01T00:00:00Z","end":"2026-01-01T00:00:00Z"}}`,
		`{"x":{"path":"p","colour":"red"}}`,
		`{"x":{"path":"p","poster":"http://h5.example.cn/p.jpg"}}`,
		`{"x":{"path":"p","fallback_path":"/pages/index/index"}}`,
		`[1,2]`,
	} {
		if _, err := Load(env(map[string]string{"STATIC_CAMPAIGNS": v})); err == nil || !strings.Contains(err.Error(), "STATIC_CAMPAIGNS") {
			t.Errorf("%s: want a STATIC_CAMPAIGNS error, got %v", v, err)
		}
	}
}

func TestErrorNeverEchoesSecret(t *testing.T) {
	_, err := Load(env(map[string]string{"WECHAT_SECRET": "topsecret", "SCHEME_MODE": "weird"}), NeedWeChat)
	if err == nil || strings.Contains(err.Error(), "topsecret") {
		t.Fatalf("err = %v", err)
	}
}

func TestGetSchemeSettings(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		margin    time.Duration
		perMinute int
		burst     int
		problem   string
	}{
		{name: "defaults", env: nil, margin: time.Hour, perMinute: 120, burst: 30},
		{name: "set", env: map[string]string{"SCHEME_CACHE_MARGIN": "30m", "RATE_LIMIT_PER_IP": "0", "RATE_LIMIT_BURST": "5"}, margin: 30 * time.Minute, perMinute: 0, burst: 5},
		{name: "margin too short", env: map[string]string{"SCHEME_CACHE_MARGIN": "10s"}, problem: "SCHEME_CACHE_MARGIN"},
		{name: "margin too long", env: map[string]string{"SCHEME_CACHE_MARGIN": "13h"}, problem: "SCHEME_CACHE_MARGIN"},
		{name: "negative rate", env: map[string]string{"RATE_LIMIT_PER_IP": "-1"}, problem: "RATE_LIMIT_PER_IP"},
		{name: "zero burst", env: map[string]string{"RATE_LIMIT_BURST": "0"}, problem: "RATE_LIMIT_BURST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("want an error naming %s, got %v", tt.problem, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Scheme.CacheMargin != tt.margin || c.RateLimit.PerMinute != tt.perMinute || c.RateLimit.Burst != tt.burst {
				t.Errorf("got margin %v, rate %+v", c.Scheme.CacheMargin, c.RateLimit)
			}
		})
	}
}

func TestTargetPath(t *testing.T) {
	c, err := Load(env(map[string]string{"TARGET_PATH": "pages/index/index"}))
	if err != nil || c.Link.TargetPath != "pages/index/index" {
		t.Fatalf("%v %+v", err, c)
	}
	for _, bad := range []string{"/pages/index/index", "pages/index/index?a=1"} {
		if _, err := Load(env(map[string]string{"TARGET_PATH": bad})); err == nil || !strings.Contains(err.Error(), "TARGET_PATH") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
