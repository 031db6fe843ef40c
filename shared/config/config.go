// Package config reads the functions' configuration from environment
// variables (SCF's only way to configure a function) into one typed struct.
// Every missing or invalid variable is reported in a single error, and each
// function asks only for the parts it needs.
package config

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Config is the whole configuration; a function uses the parts it asked for.
type Config struct {
	WeChat    WeChat
	Scheme    Scheme
	StoreURL  string
	COS       COS
	SMS       SMS
	Link      Link
	CORS      CORS
	RateLimit RateLimit
	Token     Token
	Send      Send
	Audience  Audience
	Receipts  Receipts
	Campaigns map[string]StaticCampaign
	// OnSCF is true when the process runs on Tencent Cloud SCF
	// (TENCENTCLOUD_RUNENV=SCF or SCF's built-in SCF_FUNCTIONNAME), or on
	// the local host that runs functions the same way.
	OnSCF bool
}

// WeChat holds the mini-program's credentials and API endpoint.
type WeChat struct {
	AppID      string
	Secret     string
	APIBase    string
	EnvVersion string
	// OAAppID and OASecret are a verified service account (服务号) bound to
	// the mini-program (WECHAT_OA_APPID, WECHAT_OA_SECRET): get-scheme then
	// signs pages for the JS-SDK open tag off CloudBase hosting. Optional;
	// both or neither.
	OAAppID  string
	OASecret string
}

// Scheme configures how get-scheme builds schemes.
type Scheme struct {
	Mode              string // "encrypted" or "plaintext"
	TTLDays           int
	FallbackPlaintext bool
	// CacheMargin: a cached scheme is served only while it has more than
	// this left, and regenerated after (SCHEME_CACHE_MARGIN, default 1h).
	CacheMargin time.Duration
}

// RateLimit is get-scheme's per-client-IP token bucket.
type RateLimit struct {
	// PerMinute is the sustained rate per IP (RATE_LIMIT_PER_IP, default
	// 120; 0 turns the limit off). Carrier NAT puts many phones behind one
	// address, so the default is generous.
	PerMinute int
	// Burst is the bucket size (RATE_LIMIT_BURST, default 30).
	Burst int
}

// COS is the campaign bucket.
type COS struct {
	Bucket    string // name-appid
	Region    string
	Endpoint  string // URL override; empty means https://cos.<region>.myqcloud.com
	PathStyle bool
}

// SMS holds the Tencent Cloud SMS defaults (a manifest may override them).
type SMS struct {
	SdkAppID   string
	SignName   string
	TemplateID string
	Region     string
	Endpoint   string // URL override; empty means the SDK default
	QPS        int
	// TemplateText is the body of SMS_TEMPLATE_ID with {1}, {2}… (without the
	// signature), for uploads that come without a manifest.
	TemplateText string
	// Timeout bounds one SendSms call; a call that times out is reported as
	// unknown (it may have been delivered) and is not retried.
	Timeout time.Duration
}

// Send tunes the send-sms job.
type Send struct {
	// BucketURL overrides BUCKET/COS_REGION with a blob URL, e.g.
	// file:///srv/smsjump for local runs; empty means the COS bucket.
	BucketURL string
	// SafetyMargin is how long before the SCF deadline the job stops taking
	// batches, drains what is in flight and checkpoints.
	SafetyMargin time.Duration
	// LeaseTTL is how long a job's lease outlives a crashed owner; it is
	// renewed every quarter of it while the job runs.
	LeaseTTL time.Duration
	// WindowMargin: no batch starts this close to the end of the send
	// window (marketing: 22:00 Beijing time).
	WindowMargin time.Duration
	// ManifestWait is how long a CSV whose manifest is required waits for
	// uploads/<name>.json.
	ManifestWait time.Duration
}

// Audience configures who send-sms leaves alone.
type Audience struct {
	// FrequencyCap limits marketing messages per number across campaigns,
	// e.g. "1/24h,3/7d" (FREQUENCY_CAP; default off). Checked for form
	// here; shared/audience.ParseCap checks the ranges at start-up.
	FrequencyCap string
	// OptOutWords are the replies that put a number on the suppression
	// list (OPT_OUT_WORDS, comma-separated; default R,TD,T,N,退订,拒收).
	OptOutWords []string
}

// Receipts configures delivery receipts and the campaign reports.
type Receipts struct {
	// CallbackToken is the secret path segment of get-scheme's callbacks
	// (CALLBACK_TOKEN): /cb/<token>/sms-status. Empty turns callbacks off.
	CallbackToken string
	// Window: receipts are matched and reports refreshed this long after a
	// job's last send (RECEIPT_WINDOW, default 72h).
	Window time.Duration
	// Pull calls PullSmsSendStatus on the send-sms timer (SMS_RECEIPT_PULL;
	// Tencent support must enable it for the account).
	Pull bool
}

// Link configures the links put into messages.
type Link struct {
	BaseURL string
	// TargetPath is the mini-program page links open when an upload's
	// manifest names none (TARGET_PATH).
	TargetPath string
	// FallbackPath is the page offered by links of ended, not yet started,
	// unknown or forged campaigns (FALLBACK_PATH, e.g. the home page) when
	// the campaign names none; empty offers none.
	FallbackPath string
}

// CORS lists the origins allowed to call get-scheme from a browser: the
// origin of LINK_BASE_URL (the page's own address) and ALLOWED_ORIGINS.
type CORS struct {
	AllowedOrigins []string
}

// Token configures the WeChat access token source.
type Token struct {
	RefreshMargin time.Duration
	// ProbeScheme, when set, is a scheme token-refresh queries with
	// queryscheme to read the remaining daily open quota.
	ProbeScheme string
	// QuotaWarnBelow logs a warning when the remaining open quota is lower.
	QuotaWarnBelow int
}

// StaticCampaign is a campaign configured in STATIC_CAMPAIGNS rather than
// written by send-sms (posters, QR codes, links in other channels).
type StaticCampaign struct {
	Path       string    `json:"path"`
	Query      string    `json:"query,omitempty"`
	EnvVersion string    `json:"env_version,omitempty"`
	Start      time.Time `json:"start,omitzero"`
	End        time.Time `json:"end,omitzero"`
	// Title, Poster and FallbackPath are the page block of a manifest: the
	// H5 page's title, an https poster image, and the page its link offers
	// once the campaign is closed.
	Title        string `json:"title,omitempty"`
	Poster       string `json:"poster,omitempty"`
	FallbackPath string `json:"fallback_path,omitempty"`
}

// Need names a part of the configuration a function requires.
type Need int

const (
	NeedWeChat Need = iota + 1 // WECHAT_APPID, WECHAT_SECRET
	NeedStore                  // STORE_URL (required on SCF)
	NeedBucket                 // BUCKET, COS_REGION
	NeedSMS                    // SMS_SDK_APP_ID, SMS_SIGN_NAME, SMS_TEMPLATE_ID
	NeedLink                   // LINK_BASE_URL
)

// Error lists every problem found in the environment.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return "config: " + e.Problems[0]
	}
	return fmt.Sprintf("config: %d problems:\n  - %s", len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// DefaultLocalStore is the store used off SCF when STORE_URL is unset.
const DefaultLocalStore = "bolt://.smsjump/store.db"

// Load reads the configuration through getenv (os.Getenv in production) and
// checks that every part in needs is present and valid.
func Load(getenv func(string) string, needs ...Need) (*Config, error) {
	r := reader{getenv: getenv}
	c := &Config{OnSCF: onSCF(getenv)}
	need := func(n Need) bool {
		for _, x := range needs {
			if x == n {
				return true
			}
		}
		return false
	}

	c.WeChat = WeChat{
		AppID:      r.str("WECHAT_APPID", need(NeedWeChat), "the mini-program's AppID (wx…), from mp.weixin.qq.com → 开发管理 → 开发设置"),
		Secret:     r.str("WECHAT_SECRET", need(NeedWeChat), "the mini-program's AppSecret"),
		APIBase:    r.url("WECHAT_API_BASE", "https://api.weixin.qq.com"),
		EnvVersion: r.oneOf("WECHAT_ENV_VERSION", "release", "release", "trial", "develop"),
		OAAppID:    r.strDefault("WECHAT_OA_APPID", ""),
		OASecret:   r.strDefault("WECHAT_OA_SECRET", ""),
	}
	if (c.WeChat.OAAppID == "") != (c.WeChat.OASecret == "") {
		r.bad("WECHAT_OA_APPID", "and WECHAT_OA_SECRET go together: set both (the 服务号's AppID and AppSecret, from mp.weixin.qq.com → 设置与开发 → 基本配置) or neither")
	}
	c.Scheme = Scheme{
		Mode:              r.oneOf("SCHEME_MODE", "encrypted", "encrypted", "plaintext"),
		TTLDays:           r.intRange("SCHEME_TTL_DAYS", 30, 1, 30),
		FallbackPlaintext: r.boolean("SCHEME_FALLBACK_PLAINTEXT", false),
		CacheMargin:       r.duration("SCHEME_CACHE_MARGIN", time.Hour, time.Minute, 12*time.Hour),
	}
	c.RateLimit = RateLimit{
		PerMinute: r.intRange("RATE_LIMIT_PER_IP", 120, 0, 1000000),
		Burst:     r.intRange("RATE_LIMIT_BURST", 30, 1, 100000),
	}

	c.StoreURL = r.str("STORE_URL", need(NeedStore) && c.OnSCF, "e.g. redis://… or cos://bucket-appid/state?region=ap-guangzhou (see README, choosing a store)")
	if c.StoreURL == "" {
		c.StoreURL = DefaultLocalStore
	} else if !strings.Contains(c.StoreURL, "://") {
		r.bad("STORE_URL", "is not a URL; use mem://, bolt:///path, redis://host:port or cos://bucket-appid/prefix?region=…")
	} else if c.OnSCF {
		if why := instanceLocalStore(c.StoreURL, getenv); why != "" {
			r.bad("STORE_URL", why)
		}
	}

	// SEND_BUCKET_URL (a local directory for off-SCF runs) stands in for the COS bucket.
	needCOS := need(NeedBucket) && r.get("SEND_BUCKET_URL") == ""
	c.COS = COS{
		Bucket:    r.str("BUCKET", needCOS, "the campaign bucket as name-appid, e.g. smsjump-1250000000"),
		Region:    r.str("COS_REGION", needCOS, "the bucket's region, e.g. ap-guangzhou"),
		Endpoint:  r.url("COS_ENDPOINT", ""),
		PathStyle: r.boolean("COS_PATH_STYLE", false),
	}
	if c.COS.Bucket != "" && !validBucket(c.COS.Bucket) {
		r.bad("BUCKET", "must be <name>-<appid>, e.g. smsjump-1250000000")
	}

	c.SMS = SMS{
		SdkAppID:   r.str("SMS_SDK_APP_ID", need(NeedSMS), "the SMS application's SdkAppId (短信控制台 → 应用管理)"),
		SignName:   r.str("SMS_SIGN_NAME", need(NeedSMS), "an approved SMS signature"),
		TemplateID: r.str("SMS_TEMPLATE_ID", need(NeedSMS), "an approved SMS template id"),
		Region:     r.strDefault("SMS_REGION", "ap-guangzhou"),
		Endpoint:   r.url("SMS_ENDPOINT", ""),
		QPS:        r.intRange("SMS_QPS", 3000, 1, 100000),
		// The text may legitimately be empty: manifests bring their own.
		TemplateText: r.strDefault("SMS_TEMPLATE_TEXT", ""),
		Timeout:      r.duration("SMS_TIMEOUT", 10*time.Second, 100*time.Millisecond, time.Minute),
	}
	c.Send = Send{
		BucketURL:    r.strDefault("SEND_BUCKET_URL", ""),
		SafetyMargin: r.duration("SEND_SAFETY_MARGIN", 30*time.Second, 100*time.Millisecond, 10*time.Minute),
		LeaseTTL:     r.duration("SEND_LEASE_TTL", time.Minute, time.Second, time.Hour),
		WindowMargin: r.duration("SEND_WINDOW_MARGIN", 2*time.Minute, time.Second, time.Hour),
		ManifestWait: r.duration("SEND_MANIFEST_WAIT", 30*time.Minute, time.Minute, 7*24*time.Hour),
	}
	c.Audience = Audience{FrequencyCap: r.strDefault("FREQUENCY_CAP", "off"), OptOutWords: r.list("OPT_OUT_WORDS")}
	if !capForm.MatchString(c.Audience.FrequencyCap) {
		r.bad("FREQUENCY_CAP", fmt.Sprintf("=%q: write rules like 1/24h,3/7d (messages/hours h or Beijing days d), or off", c.Audience.FrequencyCap))
	}
	c.Receipts = Receipts{
		CallbackToken: r.strDefault("CALLBACK_TOKEN", ""),
		Window:        r.duration("RECEIPT_WINDOW", 72*time.Hour, time.Hour, 30*24*time.Hour),
		Pull:          r.boolean("SMS_RECEIPT_PULL", false),
	}
	if t := c.Receipts.CallbackToken; t != "" && !validCallbackToken(t) {
		r.bad("CALLBACK_TOKEN", "must be 24–128 characters of A–Z a–z 0–9 _ - (generate one: openssl rand -hex 24)")
	}
	c.Link = Link{BaseURL: r.url("LINK_BASE_URL", ""), TargetPath: r.strDefault("TARGET_PATH", "")}
	if strings.HasPrefix(c.Link.TargetPath, "/") || strings.ContainsAny(c.Link.TargetPath, "?#") {
		r.bad("TARGET_PATH", "must be a page without a leading / or a query, e.g. pages/index/index")
	}
	c.Link.FallbackPath = r.strDefault("FALLBACK_PATH", "")
	if strings.HasPrefix(c.Link.FallbackPath, "/") || strings.ContainsAny(c.Link.FallbackPath, "?#") {
		r.bad("FALLBACK_PATH", "must be a page without a leading / or a query, e.g. pages/index/index")
	}
	if need(NeedLink) && c.Link.BaseURL == "" && getenv("LINK_BASE_URL") == "" {
		r.missing("LINK_BASE_URL", "the H5 page URL put into messages, e.g. https://h5.example.cn/ (its domain must be ICP-registered)")
	}

	c.CORS = CORS{AllowedOrigins: withPageOrigin(c.Link.BaseURL, r.origins("ALLOWED_ORIGINS"))}
	c.Token = Token{
		RefreshMargin:  r.duration("TOKEN_REFRESH_MARGIN", 10*time.Minute, time.Minute, 100*time.Minute),
		ProbeScheme:    r.strDefault("QUOTA_PROBE_SCHEME", ""),
		QuotaWarnBelow: r.intRange("QUOTA_WARN_BELOW", 100000, 0, 1<<31-1),
	}
	c.Campaigns = r.campaigns("STATIC_CAMPAIGNS")

	if len(r.problems) > 0 {
		return nil, &Error{Problems: r.problems}
	}
	return c, nil
}

var capForm = regexp.MustCompile(`^(?i:off)$|^\s*\d{1,3}\s*/\s*\d{1,3}[hd]\s*(,\s*\d{1,3}\s*/\s*\d{1,3}[hd]\s*)*$`)

func validBucket(b string) bool {
	i := strings.LastIndexByte(b, '-')
	if i <= 0 || i == len(b)-1 {
		return false
	}
	for _, ch := range b[i+1:] {
		if ch < '0' || ch > '9' {
			return false
		}
	}
	return true
}

// validCallbackToken mirrors callback.ValidToken (config imports nothing of
// ours): long enough to be unguessable, safe in a URL path as it is.
func validCallbackToken(t string) bool {
	if len(t) < 24 || len(t) > 128 {
		return false
	}
	for _, ch := range t {
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-') {
			return false
		}
	}
	return true
}
