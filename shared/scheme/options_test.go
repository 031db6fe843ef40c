package scheme

import (
	"slices"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
)

func TestConfigNeeds(t *testing.T) {
	enc := ConfigNeeds(func(string) string { return "" })
	if !slices.Contains(enc, config.NeedWeChat) || !slices.Contains(enc, config.NeedStore) {
		t.Errorf("encrypted mode needs %v", enc)
	}
	plain := ConfigNeeds(func(k string) string {
		if k == "SCHEME_MODE" {
			return ModePlaintext
		}
		return ""
	})
	if slices.Contains(plain, config.NeedWeChat) {
		t.Errorf("plaintext mode should not need the secret: %v", plain)
	}
}

func TestFromConfig(t *testing.T) {
	env := map[string]string{
		"WECHAT_APPID": "wx1", "WECHAT_ENV_VERSION": "trial", "SCHEME_MODE": "plaintext", "SCHEME_TTL_DAYS": "7",
		"SCHEME_FALLBACK_PLAINTEXT": "true", "SCHEME_CACHE_MARGIN": "2h", "ALLOWED_ORIGINS": "https://h5.example.cn",
		"RATE_LIMIT_PER_IP": "600", "RATE_LIMIT_BURST": "50",
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	o := FromConfig(cfg, quiet())
	if o.AppID != "wx1" || o.EnvVersion != "trial" || o.Mode != ModePlaintext || o.TTLDays != 7 || !o.FallbackPlaintext ||
		o.Margin != 2*time.Hour || len(o.AllowedOrigins) != 1 || o.RatePerMinute != 600 || o.Burst != 50 {
		t.Errorf("options %+v", o)
	}
}
