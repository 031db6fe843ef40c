package campaign

import (
	"time"
)

// SMSType is the Tencent Cloud SMS template type.
type SMSType string

const (
	// Marketing templates end with 拒收请回复R and may only be sent 08:00–22:00 Beijing time.
	Marketing SMSType = "marketing"
	// Notification templates carry no such restrictions.
	Notification SMSType = "notification"
)

// LinkMode says whether every recipient gets the same link or one of their own.
type LinkMode string

const (
	// LinkFixed: the link (LINK_BASE_URL?c=<campaign>) is a constant in the approved template.
	LinkFixed LinkMode = "fixed"
	// LinkPersonal: the template link ends in &k={n}, where variable n carries a
	// per-recipient short code. Needs a template approved that way.
	LinkPersonal LinkMode = "personal"
)

// Defaults that apply when the manifest leaves a field out (or there is no
// manifest at all). A few of them come from the environment.
const (
	// DefaultQPS is Tencent Cloud SMS's default request rate per account.
	DefaultQPS = 3000
	// DefaultParamMaxLen is the longest template variable value accepted, in
	// characters. Tencent sets the real limit per variable when the template is
	// approved (often 6 on new accounts, more for "other" variables); 12 fits
	// names and short codes. Set param_max_len to what your template allows:
	// rows that break it are rejected before sending instead of failing the job.
	DefaultParamMaxLen = 12
	// MaxMessageLen is the longest message Tencent accepts, signature included.
	MaxMessageLen = 500
	// MaxQueryLen is the longest query generatescheme accepts (jump_wxa.query).
	MaxQueryLen = 1024
	// MaxCQLen is the longest target.cq once encoded: WeChat's 256 for cq
	// less room for the row number send adds for attribution.
	MaxCQLen = 240
)

// Manifest describes one campaign: uploads/<name>.json beside uploads/<name>.csv.
// Every field is optional in the file; missing ones come from Defaults.
// testdata/manifest.example.json is a complete example.
type Manifest struct {
	// CampaignID names the campaign in links (?c=<id>) and reports: [a-z0-9_-], 1–32.
	// Default: derived from the upload name (CampaignIDFromName).
	CampaignID string `json:"campaign_id,omitempty"`
	// SDKAppID is the SMS application (SmsSdkAppId, 1400…). Default: SMS_SDK_APP_ID.
	SDKAppID string `json:"sdk_app_id,omitempty"`
	// TemplateID is the approved template's id. Default: SMS_TEMPLATE_ID.
	TemplateID string `json:"template_id,omitempty"`
	// TemplateText is the approved template body exactly as in the console, with
	// {1}, {2}… variables and without the signature. Needed for length and checks.
	TemplateText string `json:"template_text,omitempty"`
	// SignName is the approved signature without 【】. Default: SMS_SIGN_NAME.
	SignName string `json:"sign_name,omitempty"`
	// Type is marketing or notification, as approved. Default: marketing (the
	// stricter rules: 拒收请回复R, sending hours).
	Type SMSType `json:"sms_type,omitempty"`
	// Params fill the template variables in order: Params[0] is {1}.
	Params []Param `json:"params,omitempty"`
	// PhoneColumn names the CSV column with the numbers. Default: the first
	// header that matches PhoneColumnNames.
	PhoneColumn string `json:"phone_column,omitempty"`
	// LinkBaseURL is the H5 page the SMS links to. Default: LINK_BASE_URL.
	LinkBaseURL string `json:"link_base_url,omitempty"`
	// LinkMode is fixed (default) or personal.
	LinkMode LinkMode `json:"link_mode,omitempty"`
	// Target is the mini-program page the link opens.
	Target Target `json:"target,omitzero"`
	// Page is what the H5 page shows: title, poster, fallback page.
	Page Page `json:"page,omitzero"`
	// Validity is when the link works (get-scheme answers 410 outside it).
	// Both ends are optional.
	Validity Window `json:"validity,omitzero"`
	// SendWindow narrows the daily sending hours (Beijing time). Marketing SMS
	// is always limited to 08:00–22:00; a send window may only be stricter.
	SendWindow DailyWindow `json:"send_window,omitzero"`
	// QPS caps SendSms requests per second for this job. Default: SMS_QPS, else 3000.
	QPS int `json:"qps,omitempty"`
	// ParamMaxLen is the longest variable value, in characters. Default: 12.
	ParamMaxLen int `json:"param_max_len,omitempty"`
	// DryRun validates and renders every row and writes the report, but sends nothing.
	DryRun bool `json:"dry_run,omitempty"`
	// RespectOptOuts makes a notification campaign leave out the numbers on
	// the account's suppression list too; marketing campaigns always do.
	RespectOptOuts bool `json:"respect_opt_outs,omitempty"`
	// StartAt schedules the campaign: the list is checked at upload (the
	// rejected rows are reported at once) and sending starts at this time,
	// by the send-sms timer. Beijing time ("2026-03-01 10:00") or RFC 3339.
	StartAt StartAt `json:"start_at,omitzero"`
}

// Param says where one template variable gets its value. Exactly one of
// Column, Const and Link is set.
type Param struct {
	// Column takes the value from this CSV column (matched ignoring case and spaces).
	Column string `json:"column,omitempty"`
	// Default replaces an empty Column value. Without it a row with an empty
	// value is rejected as missing_column rather than sent with a hole in it.
	Default *string `json:"default,omitempty"`
	// Const is the same value for every row.
	Const *string `json:"const,omitempty"`
	// Link marks the variable that carries the per-recipient code (link_mode personal).
	Link bool `json:"link,omitempty"`
}

// Target is the mini-program page a link opens: generatescheme's jump_wxa.
type Target struct {
	// Path is the page without a leading slash, e.g. pages/index/index.
	// Required (a plaintext scheme cannot do without it); TARGET_PATH gives
	// the default for uploads whose manifest does not name one.
	Path string `json:"path,omitempty"`
	// Query is passed to the page, e.g. from=sms. It is the same for every
	// recipient: the scheme of a target is generated once and cached, and a
	// per-row value here would cost one generation per tap against WeChat's
	// 500 000 a day, so {{column}} is refused here (see CQ).
	Query string `json:"query,omitempty"`
	// CQ carries per-recipient values, e.g. uid={{uid}}: {{column}} is
	// replaced per row (URL-encoded) and the result travels as the link's
	// cq, which WeChat merges into the page's onLoad options just like the
	// query. Needs link_mode personal (the code remembers the row's values);
	// at most MaxCQLen characters once encoded.
	CQ string `json:"cq,omitempty"`
	// EnvVersion is release, trial or develop. Empty means WECHAT_ENV_VERSION.
	EnvVersion string `json:"env_version,omitempty"`
}

// Window is a span of time; a zero end is open.
type Window struct {
	// Start in RFC 3339, e.g. 2026-03-01T00:00:00+08:00.
	Start time.Time `json:"start,omitzero"`
	// End in RFC 3339; after Start.
	End time.Time `json:"end,omitzero"`
}

// Contains reports whether t is inside the window.
func (w Window) Contains(t time.Time) bool {
	return (w.Start.IsZero() || !t.Before(w.Start)) && (w.End.IsZero() || t.Before(w.End))
}

// Defaults is what the environment supplies. The lead maps variables to fields.
type Defaults struct {
	CampaignID   string // from the upload name: CampaignIDFromName
	SDKAppID     string // SMS_SDK_APP_ID
	SignName     string // SMS_SIGN_NAME
	TemplateID   string // SMS_TEMPLATE_ID
	TemplateText string // text of SMS_TEMPLATE_ID, for uploads without a manifest
	LinkBaseURL  string // LINK_BASE_URL
	TargetPath   string // TARGET_PATH: the page links open when the manifest names none
	QPS          int    // SMS_QPS
}

// DefaultManifest is the manifest of an upload that came without one.
func DefaultManifest(d Defaults) Manifest {
	var m Manifest
	m.applyDefaults(d)
	return m
}

func (m *Manifest) applyDefaults(d Defaults) {
	setIfEmpty(&m.CampaignID, d.CampaignID)
	setIfEmpty(&m.SDKAppID, d.SDKAppID)
	setIfEmpty(&m.SignName, d.SignName)
	setIfEmpty(&m.TemplateID, d.TemplateID)
	// The default text only describes the default template: a manifest naming
	// another template must bring its own text.
	if m.TemplateText == "" && m.TemplateID == d.TemplateID {
		m.TemplateText = d.TemplateText
	}
	setIfEmpty(&m.LinkBaseURL, d.LinkBaseURL)
	setIfEmpty(&m.Target.Path, d.TargetPath)
	if m.QPS == 0 {
		m.QPS = d.QPS
	}
	if m.QPS == 0 {
		m.QPS = DefaultQPS
	}
	if m.ParamMaxLen == 0 {
		m.ParamMaxLen = DefaultParamMaxLen
	}
	if m.Type == "" {
		m.Type = Marketing
	}
	if m.LinkMode == "" {
		m.LinkMode = LinkFixed
	}
}

func setIfEmpty(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
