package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// A deploy that left ${env:X} unset hands the function the text
// "undefined": every such variable is named once, with the deploy fix, and
// is never also reported as missing or invalid.
func TestLoadRejectsUndefined(t *testing.T) {
	_, err := Load(env(map[string]string{
		"TENCENTCLOUD_RUNENV": "SCF",
		"STORE_URL":           "redis://10.0.0.5:6379",
		"WECHAT_APPID":        "undefined",
		"WECHAT_SECRET":       "s",
		"SCHEME_MODE":         "undefined",
		"RATE_LIMIT_PER_IP":   " undefined ",
		"TARGET_PATH":         "undefined",
		"SMS_TEMPLATE_TEXT":   "undefined",
		"SEND_BUCKET_URL":     "undefined",
		"LINK_BASE_URL":       "undefined",
	}), NeedWeChat, NeedStore, NeedLink)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	want := []string{"WECHAT_APPID", "SCHEME_MODE", "RATE_LIMIT_PER_IP", "TARGET_PATH", "SMS_TEMPLATE_TEXT", "SEND_BUCKET_URL", "LINK_BASE_URL"}
	if len(ce.Problems) != len(want) {
		t.Fatalf("want %d problems (one per undefined variable), got %d:\n%v", len(want), len(ce.Problems), err)
	}
	for _, name := range want {
		i := slices.IndexFunc(ce.Problems, func(p string) bool { return strings.HasPrefix(p, name+" ") })
		if i < 0 {
			t.Errorf("no problem names %s:\n%v", name, err)
			continue
		}
		if p := ce.Problems[i]; !strings.Contains(p, "undefined") || !strings.Contains(p, "scripts/deploy.sh") || !strings.Contains(p, "环境变量") {
			t.Errorf("problem for %s does not give the deploy fix: %s", name, p)
		}
	}
}

// A value that merely contains the word is someone's real text.
func TestLoadKeepsTextContainingUndefined(t *testing.T) {
	c, err := Load(env(map[string]string{"SMS_TEMPLATE_TEXT": "undefined{1}"}))
	if err != nil || c.SMS.TemplateText != "undefined{1}" {
		t.Fatalf("%v %+v", err, c)
	}
}

func TestCORSDefaultsToThePageOrigin(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		want  []string
		wrong string
	}{
		{name: "none", env: nil, want: nil},
		{name: "page only", env: map[string]string{"LINK_BASE_URL": "https://H5.Example.cn/s/"}, want: []string{"https://h5.example.cn"}},
		{name: "default port dropped", env: map[string]string{"LINK_BASE_URL": "https://h5.example.cn:443/"}, want: []string{"https://h5.example.cn"}},
		{name: "other port kept", env: map[string]string{"LINK_BASE_URL": "http://127.0.0.1:8080/"}, want: []string{"http://127.0.0.1:8080"}},
		{name: "page and more", env: map[string]string{"LINK_BASE_URL": "https://h5.example.cn/?x=1", "ALLOWED_ORIGINS": "https://poster.example.cn"},
			want: []string{"https://h5.example.cn", "https://poster.example.cn"}},
		{name: "no duplicate", env: map[string]string{"LINK_BASE_URL": "https://h5.example.cn/", "ALLOWED_ORIGINS": "https://h5.example.cn"},
			want: []string{"https://h5.example.cn"}},
		{name: "bad page url", env: map[string]string{"LINK_BASE_URL": "h5.example.cn"}, wrong: "LINK_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.env))
			if tt.wrong != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wrong) {
					t.Fatalf("want an error naming %s, got %v", tt.wrong, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(c.CORS.AllowedOrigins, tt.want) {
				t.Errorf("origins %q, want %q", c.CORS.AllowedOrigins, tt.want)
			}
		})
	}
}

func TestStoreThatInstancesDoNotShareIsRefusedOnSCF(t *testing.T) {
	tests := []struct {
		name, url string
		env       map[string]string
		refused   bool
	}{
		{name: "mem on SCF", url: "mem://", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}, refused: true},
		{name: "mem with SCF built-ins only", url: "mem://", env: map[string]string{"SCF_FUNCTIONNAME": "send-sms"}, refused: true},
		{name: "bolt in /tmp", url: "bolt:///tmp/store.db", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}, refused: true},
		{name: "bolt in /tmp, dotted", url: "bolt:///var/../tmp/x/store.db", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}, refused: true},
		{name: "mem on the local host too", url: "mem://", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF", LocalHostEnv: "1"}, refused: true},
		{name: "bolt in /tmp on the local host", url: "bolt:///tmp/store.db", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF", LocalHostEnv: "1"}},
		{name: "bolt on a shared mount", url: "bolt:///mnt/cfs/store.db", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}},
		{name: "redis", url: "redis://10.0.0.5:6379", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}},
		{name: "cos", url: "cos://smsjump-1250000000/state?region=ap-guangzhou", env: map[string]string{"TENCENTCLOUD_RUNENV": "SCF"}},
		{name: "mem off SCF", url: "mem://"},
		{name: "bolt in /tmp off SCF", url: "bolt:///tmp/store.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := map[string]string{"STORE_URL": tt.url}
			for k, v := range tt.env {
				e[k] = v
			}
			_, err := Load(env(e), NeedStore)
			if !tt.refused {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "STORE_URL") || !strings.Contains(err.Error(), "resume") {
				t.Fatalf("want STORE_URL refused with the reason, got %v", err)
			}
		})
	}
}
