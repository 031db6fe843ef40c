package doctor

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/sms"
)

const (
	smsSigns     = "短信控制台 → 国内短信 → 签名管理"
	smsTemplates = "短信控制台 → 国内短信 → 正文模板管理"
	smsApps      = "短信控制台 → 应用管理 → 应用列表"
	unsubscribe  = "拒收请回复R"
)

// use is one (template, signature) a campaign will send with, and the text
// the operator declared for it.
type use struct {
	source       string // "环境变量" or uploads/<name>.json
	manifest     campaign.Manifest
	declaredText string
}

func checkSMS(ctx context.Context, s Settings) []Result {
	if s.SMSSdkAppID == "" || s.SMSSignName == "" || s.SMSTemplateID == "" {
		return []Result{fail("export SMS_SDK_APP_ID、SMS_SIGN_NAME、SMS_TEMPLATE_ID（"+smsApps+"）", "短信默认值未设置")}
	}
	acct, err := sms.NewAccount(sms.TencentConfig{Region: s.SMSRegion, Endpoint: s.SMSEndpoint, Credentials: s.TencentCredentials})
	if err != nil {
		return []Result{fail("改正 SMS_ENDPOINT", "短信客户端：%v", err)}
	}
	var out []Result
	if err := acct.CheckApp(ctx, s.SMSSdkAppID, s.Now()); err != nil {
		fix := "在 " + smsApps + " 中找到 SDK AppID（1400…）并设为 SMS_SDK_APP_ID；密钥所属账号须拥有该应用（CAM：sms:SendStatusStatistics）"
		if strings.Contains(err.Error(), "AuthFailure") || strings.Contains(err.Error(), "UnauthorizedOperation") {
			fix = "密钥无权访问短信：在 CAM 控制台给该密钥的子账号（或函数的执行角色）授予本 README 所列的短信权限"
		}
		return append(out, fail(fix, "短信应用 %s 不可用：%v", s.SMSSdkAppID, err))
	}
	out = append(out, ok("短信应用 %s 存在", s.SMSSdkAppID))

	uses, problems := templateUses(ctx, s)
	out = append(out, problems...)
	out = append(out, checkSigns(ctx, acct, uses)...)
	return append(out, checkTemplates(ctx, s, acct, uses)...)
}

// templateUses are the env defaults and, with --manifests, every manifest
// under uploads/ in the bucket.
func templateUses(ctx context.Context, s Settings) ([]use, []Result) {
	d := campaign.Defaults{SDKAppID: s.SMSSdkAppID, SignName: s.SMSSignName, TemplateID: s.SMSTemplateID,
		TemplateText: s.SMSTemplateText, LinkBaseURL: s.LinkBaseURL}
	uses := []use{{source: "环境变量", manifest: campaign.DefaultManifest(d), declaredText: s.SMSTemplateText}}
	if !s.Manifests {
		return uses, nil
	}
	c, err := cosClient(s)
	if err != nil {
		return uses, []Result{fail("改正 BUCKET、COS_REGION", "读取 uploads/ 的 manifest：%v", err)}
	}
	var out []Result
	token := ""
	for {
		objs, next, err := c.ListPage(ctx, "uploads/", token, 1000)
		if err != nil {
			return uses, append(out, fail(cosFix(err, s), "列出 uploads/：%v", err))
		}
		for _, o := range objs {
			if !strings.HasSuffix(o.Key, ".json") {
				continue
			}
			obj, err := c.Get(ctx, o.Key, 0, -1)
			if err != nil {
				out = append(out, fail(cosFix(err, s), "读取 %s：%v", o.Key, err))
				continue
			}
			var buf bytes.Buffer
			_, err = buf.ReadFrom(obj.Body)
			obj.Body.Close()
			if err != nil {
				out = append(out, fail("", "读取 %s：%v", o.Key, err))
				continue
			}
			d.CampaignID = campaign.CampaignIDFromName(strings.TrimSuffix(strings.TrimPrefix(o.Key, "uploads/"), ".json"))
			m, err := campaign.ParseManifest(bytes.NewReader(buf.Bytes()), d)
			if err != nil {
				out = append(out, fail("改正这份 manifest（本地可用 go run ./scripts/dev check 检查）", "%s 无效：%v", o.Key, err))
				continue
			}
			uses = append(uses, use{source: o.Key, manifest: m, declaredText: m.TemplateText})
		}
		if next == "" {
			return uses, out
		}
		token = next
	}
}

func checkSigns(ctx context.Context, acct *sms.Account, uses []use) []Result {
	signs, err := acct.Signs(ctx)
	if err != nil {
		return []Result{fail("给密钥授予 sms:DescribeSmsSignList（CAM 控制台）", "读取签名列表：%v", err)}
	}
	var names []string
	for _, u := range uses {
		if !slices.Contains(names, u.manifest.SignName) {
			names = append(names, u.manifest.SignName)
		}
	}
	var out []Result
	for _, name := range names {
		i := slices.IndexFunc(signs, func(x sms.SignStatus) bool { return x.Name == name })
		switch {
		case i < 0:
			out = append(out, fail("在 "+smsSigns+" 中创建签名「"+name+"」并等待审核通过，或改正 SMS_SIGN_NAME / manifest 的 sign_name（不含【】）",
				"签名「%s」不存在", name))
		case signs[i].Status != sms.StatusApproved:
			out = append(out, fail(reviewFix(smsSigns, signs[i].Status, signs[i].ReviewReply), "签名「%s」未生效（%s）", name, statusText(signs[i].Status)))
		default:
			out = append(out, ok("签名「%s」已审核通过", name))
		}
	}
	return out
}

func checkTemplates(ctx context.Context, s Settings, acct *sms.Account, uses []use) []Result {
	var ids []string
	for _, u := range uses {
		if !slices.Contains(ids, u.manifest.TemplateID) {
			ids = append(ids, u.manifest.TemplateID)
		}
	}
	sort.Strings(ids)
	got, err := acct.Templates(ctx, ids)
	if err != nil {
		return []Result{fail("模板 ID 是 "+smsTemplates+" 中的数字 ID；并给密钥授予 sms:DescribeSmsTemplateList", "读取模板：%v", err)}
	}
	byID := map[string]sms.TemplateStatus{}
	for _, t := range got {
		byID[t.ID] = t
	}
	var out []Result
	for _, u := range uses {
		m := u.manifest
		t, found := byID[m.TemplateID]
		switch {
		case !found:
			out = append(out, fail("在 "+smsTemplates+" 中核对模板 ID，改正 SMS_TEMPLATE_ID / manifest 的 template_id",
				"模板 %s（%s）不存在", m.TemplateID, u.source))
			continue
		case t.Status != sms.StatusApproved:
			out = append(out, fail(reviewFix(smsTemplates, t.Status, t.ReviewReply), "模板 %s（%s）未生效（%s）", m.TemplateID, u.source, statusText(t.Status)))
			continue
		}
		out = append(out, ok("模板 %s（%s）已审核通过", m.TemplateID, u.source))
		switch {
		case u.declaredText == "":
			out = append(out, warn("把控制台的模板正文（不含签名）设为 SMS_TEMPLATE_TEXT 或 manifest 的 template_text，用于校验和计费",
				"模板 %s（%s）没有声明正文", m.TemplateID, u.source))
		case u.declaredText != t.Content:
			out = append(out, fail("把 "+smsTemplates+" 中模板 "+m.TemplateID+" 的正文一字不差地复制到 "+textVar(u)+"：正文不一致会算错链接、长度和计费条数",
				"模板 %s（%s）声明的正文与审核通过的不同：审核通过的是「%s」", m.TemplateID, u.source, t.Content))
		}
		if m.Type == campaign.Marketing && !strings.HasSuffix(strings.TrimSpace(t.Content), unsubscribe) {
			out = append(out, fail("营销短信模板必须以「"+unsubscribe+"」结尾：在 "+smsTemplates+" 中修改后重新提交审核；若是通知类短信，把 manifest 的 sms_type 设为 notification",
				"营销模板 %s（%s）不以「%s」结尾", m.TemplateID, u.source, unsubscribe))
		}
		out = append(out, checkTemplateLink(m, t.Content, u.source)...)
	}
	return out
}

var linkRE = regexp.MustCompile(`https?://[A-Za-z0-9.-]+(?::[0-9]+)?[^\s，。；、！？）)】」]*`)

// checkTemplateLink: the link is a constant in the approved template, so it
// must point at the page's own (ICP-registered) host.
func checkTemplateLink(m campaign.Manifest, content, source string) []Result {
	base, err := url.Parse(m.LinkBaseURL)
	if m.LinkBaseURL == "" || err != nil || base.Host == "" {
		return []Result{fail("设置 LINK_BASE_URL（H5 页地址，如 https://h5.example.cn/）", "LINK_BASE_URL 未设置，无法核对模板 %s 中的链接", m.TemplateID)}
	}
	links := linkRE.FindAllString(content, -1)
	if len(links) == 0 {
		return []Result{fail("模板正文里要有指向 "+m.LinkBaseURL+" 的链接（常量，不能放在变量里）：在 "+smsTemplates+" 中修改后重新提交审核",
			"模板 %s（%s）里没有链接", m.TemplateID, source)}
	}
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || !strings.EqualFold(u.Hostname(), base.Hostname()) {
			return []Result{fail(fmt.Sprintf("模板里的链接必须在 LINK_BASE_URL 的域名 %s 下：改正 LINK_BASE_URL，或在 %s 中修改模板后重新提交审核", base.Hostname(), smsTemplates),
				"模板 %s（%s）的链接 %s 不在 %s 下", m.TemplateID, source, l, base.Hostname())}
		}
	}
	return []Result{ok("模板 %s（%s）的链接指向 %s", m.TemplateID, source, base.Hostname())}
}

func textVar(u use) string {
	if u.source == "环境变量" {
		return "SMS_TEMPLATE_TEXT"
	}
	return u.source + " 的 template_text"
}

func statusText(code int64) string {
	switch code {
	case sms.StatusInReview:
		return "审核中"
	case sms.StatusPending:
		return "审核通过，待生效"
	case sms.StatusRejected:
		return "审核未通过"
	}
	return fmt.Sprintf("状态 %d", code)
}

func reviewFix(page string, code int64, reply string) string {
	switch code {
	case sms.StatusInReview, sms.StatusPending:
		return "等待 " + page + " 中的审核结果（通常 2 小时内），通过后再部署"
	case sms.StatusRejected:
		return fmt.Sprintf("按审核意见「%s」在 %s 中修改后重新提交", reply, page)
	}
	return page
}
