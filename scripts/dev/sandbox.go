package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// The sandbox account. The ids look like real ones so that every validation
// on the way (manifest, SDK, sandbox) treats them as it would in production.
const (
	sandboxAppID      = "wx5a1b2c3d4e5f6a7b"
	sandboxOriginalID = "gh_5a1b2c3d4e5f"
	sandboxSdkAppID   = "1400000001"
	sandboxSignName   = "短信跳转示例"
	sandboxTemplateID = "100002" // the demo campaign's template
	sandboxRegion     = "ap-guangzhou"
	sandboxBucket     = "smsjump-1250000000"
)

// sandboxes are the local WeChat and SMS APIs with the credentials the
// functions are given.
type sandboxes struct {
	wx       *wxapi.Server
	sms      *smsapi.Server
	wxSecret string
	cred     tcCredential
	// callbackToken is get-scheme's CALLBACK_TOKEN; the SMS sandbox posts
	// its delivery receipts to /api/scheme/cb/<token>/sms-status.
	callbackToken string
}

// tcCredential is what SCF injects from the function's execution role.
type tcCredential struct{ id, key, token string }

// startSandboxes starts both servers on loopback with the SMS templates and
// signatures in ap approved.
func startSandboxes(ap *approvals, log *slog.Logger) (*sandboxes, error) {
	sb := &sandboxes{
		wxSecret: randomHex(16),
		// Temporary credentials, as SCF injects them: the token must travel
		// with every request, which the sandbox checks.
		cred:          tcCredential{id: "AKIDsandbox" + randomHex(8), key: randomHex(16), token: randomHex(24)},
		callbackToken: randomHex(24),
	}
	var err error
	sb.wx, err = wxapi.Start(wxapi.Options{AppID: sandboxAppID, Secret: sb.wxSecret, Logger: log.With("sandbox", "wechat")})
	if err != nil {
		return nil, fmt.Errorf("start WeChat sandbox: %w", err)
	}
	sb.sms, err = smsapi.Start(smsapi.Options{
		Credentials:  map[string]smsapi.Credential{sb.cred.id: {SecretKey: sb.cred.key, Token: sb.cred.token}},
		SdkAppIDs:    []string{sandboxSdkAppID},
		SignNames:    ap.signs,
		Templates:    ap.templates,
		KeepMessages: false,
		// Receipts as a carrier gives them: most delivered, some failed,
		// a few never reported.
		Receipts: smsapi.ReceiptPolicy{Delivered: 0.85, Failed: 0.1},
		Logger:   log.With("sandbox", "sms"),
	})
	if err != nil {
		sb.wx.Close()
		return nil, fmt.Errorf("start SMS sandbox: %w", err)
	}
	return sb, nil
}

func (sb *sandboxes) Close() {
	sb.sms.Close()
	sb.wx.Close()
}

// approvals are the SMS templates and signatures the sandbox account has
// "approved": the sandbox signature, the demo template and those of
// manifests already in uploads/ at start-up (the SMS sandbox takes its
// templates when it starts).
type approvals struct {
	templates map[string]smsapi.Template
	signs     []string
}

func newApprovals() *approvals {
	return &approvals{templates: map[string]smsapi.Template{}, signs: []string{sandboxSignName}}
}

// add approves m's template and signature, as if the operator had them
// approved in the SMS console. As in the console, a template id keeps the
// first text approved: a manifest that declares another text for it is
// refused with an error naming the id, and the first text stays.
func (a *approvals) add(m campaign.Manifest) error {
	if m.TemplateID == "" || m.TemplateText == "" {
		return nil
	}
	t := sandboxTemplate(m)
	if old, ok := a.templates[m.TemplateID]; ok && old != t {
		return templateChangedError(m.TemplateID, old.Text, t.Text)
	}
	a.templates[m.TemplateID] = t
	if m.SignName != "" && !slices.Contains(a.signs, m.SignName) {
		a.signs = append(a.signs, m.SignName)
	}
	return nil
}

// templateChangedError is what the operator reads when a manifest's
// template_text differs from the text approved for its template id.
func templateChangedError(id, approved, declared string) error {
	return fmt.Errorf("模板 %s 已按另一段正文审核通过，清单的 template_text 与之不同；生产环境会照已审核的正文发送，"+
		"按清单计算的长度和计费都不可信。请在短信控制台（国内短信 → 正文模板管理）核对模板 %s 的正文并改正 template_text，"+
		"或为新正文申请新模板并改用新的 template_id。\n  已审核：%s\n  清单：  %s", id, id, approved, declared)
}

// sandboxTemplate is m's template as the SMS sandbox approves it.
func sandboxTemplate(m campaign.Manifest) smsapi.Template {
	t := smsapi.Template{Text: m.TemplateText, Type: smsapi.Notification}
	if m.Type == campaign.Marketing {
		t.Type = smsapi.Marketing
	}
	return t
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
