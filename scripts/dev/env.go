package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// passThrough are settings the operator may tune from the shell in both
// modes; endpoints and credentials are the emulator's to set in sandbox mode.
var passThrough = []string{
	"WECHAT_ENV_VERSION", "SCHEME_MODE", "SCHEME_TTL_DAYS", "SCHEME_FALLBACK_PLAINTEXT",
	"STATIC_CAMPAIGNS", "TOKEN_REFRESH_MARGIN", "QUOTA_PROBE_SCHEME", "QUOTA_WARN_BELOW",
	"SMS_QPS", "SMS_REGION", "SMS_TIMEOUT", "SEND_SAFETY_MARGIN", "SEND_LEASE_TTL",
	"SEND_WINDOW_MARGIN", "SEND_MANIFEST_WAIT",
	"FREQUENCY_CAP", "OPT_OUT_WORDS",
}

// liveRequired must be set in the environment for --live; each comes with
// where to find it, printed when it is missing.
var liveRequired = []struct{ name, hint string }{
	{"WECHAT_APPID", "the mini-program's AppID (wx…)"},
	{"WECHAT_SECRET", "the mini-program's AppSecret"},
	{"TENCENTCLOUD_SECRETID", "an API key of a sub-account allowed to send SMS (CAM → API keys)"},
	{"TENCENTCLOUD_SECRETKEY", "the key of TENCENTCLOUD_SECRETID"},
	{"SMS_SDK_APP_ID", "the SMS application's SdkAppId (1400…)"},
	{"SMS_SIGN_NAME", "an approved SMS signature"},
	{"SMS_TEMPLATE_ID", "an approved SMS template id"},
}

// liveOptional are passed through in --live when set.
var liveOptional = []string{
	"WECHAT_API_BASE", "TENCENTCLOUD_SESSIONTOKEN", "SMS_ENDPOINT", "SMS_TEMPLATE_TEXT", "LINK_BASE_URL", "ALLOWED_ORIGINS",
}

// missingLive names every required variable that getenv does not have.
func missingLive(getenv func(string) string) error {
	var missing []string
	for _, v := range liveRequired {
		if strings.TrimSpace(getenv(v.name)) == "" {
			missing = append(missing, fmt.Sprintf("%s (%s)", v.name, v.hint))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("--live needs these environment variables, which are not set:\n  %s", strings.Join(missing, "\n  "))
}

// envSettings are the values the functions' environment is built from.
type envSettings struct {
	live     bool
	getenv   func(string) string
	lay      layout
	baseURL  string // http://127.0.0.1:PORT/
	sb       *sandboxes
	timeouts map[string]int // seconds, per function, for SCF_TIMEOUT-aware code
}

// functionEnv is the environment of every function, as serverless.yml would
// configure it, pointed at the sandboxes (or, live, at the real APIs). All
// three get the same set: a function ignores what it does not need.
func functionEnv(s envSettings) map[string]string {
	env := map[string]string{
		"STORE_URL":  s.lay.storeURL(),
		"BUCKET":     sandboxBucket,
		"COS_REGION": sandboxRegion,
		// send-sms reads and writes the local bucket directory instead of COS.
		"SEND_BUCKET_URL": s.lay.bucketURL(),
		"LINK_BASE_URL":   s.baseURL,
		"ALLOWED_ORIGINS": strings.TrimSuffix(s.baseURL, "/"),
	}
	for _, k := range passThrough {
		if v := s.getenv(k); v != "" {
			env[k] = v
		}
	}
	if s.live {
		for _, v := range liveRequired {
			env[v.name] = s.getenv(v.name)
		}
		for _, k := range liveOptional {
			if v := s.getenv(k); v != "" {
				env[k] = v
			}
		}
		return env
	}
	env["WECHAT_APPID"] = sandboxAppID
	env["WECHAT_SECRET"] = s.sb.wxSecret
	env["WECHAT_API_BASE"] = s.sb.wx.URL()
	env["SMS_SDK_APP_ID"] = sandboxSdkAppID
	env["SMS_SIGN_NAME"] = sandboxSignName
	env["SMS_TEMPLATE_ID"] = sandboxTemplateID
	env["SMS_ENDPOINT"] = s.sb.sms.URL()
	env["TENCENTCLOUD_SECRETID"] = s.sb.cred.id
	env["TENCENTCLOUD_SECRETKEY"] = s.sb.cred.key
	env["TENCENTCLOUD_SESSIONTOKEN"] = s.sb.cred.token
	env["CALLBACK_TOKEN"] = s.sb.callbackToken
	return env
}

// describeEnv lists the variables for the start-up banner, secrets hidden.
func describeEnv(env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := env[k]
		if isSecret(k) {
			v = "(" + strconv.Itoa(len(v)) + " characters, hidden)"
		}
		fmt.Fprintf(&b, "    %s=%s\n", k, v)
	}
	return b.String()
}

func isSecret(name string) bool {
	return strings.Contains(name, "SECRET") || strings.Contains(name, "TOKEN") && name != "TOKEN_REFRESH_MARGIN" || strings.HasSuffix(name, "KEY")
}
