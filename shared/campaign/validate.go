package campaign

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	campaignIDPattern = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	numericPattern    = regexp.MustCompile(`^[0-9]{1,20}$`)
)

// Validate checks the manifest against the Tencent Cloud SMS template rules
// and this project's link contract. It returns one *ManifestError listing
// every problem, each with its field path and the fix, or nil.
func (m Manifest) Validate() error {
	var ps problems
	m.validateAccount(&ps)
	t := parseTemplate(m.TemplateText)
	m.validateTemplate(t, &ps)
	m.validateParams(t, &ps)
	m.validateLink(t, &ps)
	m.validateTarget(&ps)
	m.validatePage(&ps)
	m.validateWindows(&ps)
	if m.QPS <= 0 {
		ps.add("qps", "must be at least 1 (requests per second)")
	}
	if m.ParamMaxLen <= 0 || m.ParamMaxLen > MaxMessageLen {
		ps.add("param_max_len", fmt.Sprintf("must be between 1 and %d characters", MaxMessageLen))
	}
	return ps.err()
}

func (m Manifest) validateAccount(ps *problems) {
	switch {
	case m.CampaignID == "":
		ps.add("campaign_id", "missing; set campaign_id (a-z, 0-9, _ and -, 1–32 characters)")
	case !campaignIDPattern.MatchString(m.CampaignID):
		ps.add("campaign_id", fmt.Sprintf("%q may only use a-z, 0-9, _ and -, 1–32 characters", m.CampaignID))
	}
	switch {
	case m.SDKAppID == "":
		ps.add("sdk_app_id", "missing; set SMS_SDK_APP_ID or sdk_app_id to the SmsSdkAppId (1400…) from the SMS console")
	case !numericPattern.MatchString(m.SDKAppID):
		ps.add("sdk_app_id", fmt.Sprintf("%q is not an SmsSdkAppId; it is a number like 1400000000", m.SDKAppID))
	}
	switch {
	case m.TemplateID == "":
		ps.add("template_id", "missing; set SMS_TEMPLATE_ID or template_id to the approved template's ID")
	case !numericPattern.MatchString(m.TemplateID):
		ps.add("template_id", fmt.Sprintf("%q is not a template ID; it is a number like 1234567", m.TemplateID))
	}
	switch {
	case m.SignName == "":
		ps.add("sign_name", "missing; set SMS_SIGN_NAME or sign_name to the approved signature")
	case strings.ContainsAny(m.SignName, "【】"):
		ps.add("sign_name", "write the signature without 【】; Tencent adds them")
	case forbiddenIn(m.SignName) != "":
		ps.add("sign_name", "contains the forbidden symbol(s) "+forbiddenIn(m.SignName))
	}
	if m.Type != Marketing && m.Type != Notification {
		ps.add("sms_type", fmt.Sprintf("%q is not marketing or notification", m.Type))
	}
	if m.LinkMode != LinkFixed && m.LinkMode != LinkPersonal {
		ps.add("link_mode", fmt.Sprintf("%q is not fixed or personal", m.LinkMode))
	}
}

func (m Manifest) validateTemplate(t smsTemplate, ps *problems) {
	const path = "template_text"
	if m.TemplateText == "" {
		ps.add(path, "missing; copy the approved template body (with {1}, {2}…, without the signature) from the SMS console")
		return
	}
	if strings.ContainsAny(m.TemplateText, "【】") {
		ps.add(path, "contains 【 or 】; Tencent adds 【signature】 itself, remove them from the text")
	}
	if bad := strings.NewReplacer("【", "", "】", "").Replace(forbiddenIn(m.TemplateText)); bad != "" {
		ps.add(path, "contains the forbidden symbol(s) "+bad+"; remove them")
	}
	if m.Type == Marketing && !strings.HasSuffix(strings.TrimRightFunc(m.TemplateText, unicode.IsSpace), marketingSuffix) {
		ps.add(path, "a marketing template must end with "+marketingSuffix)
	}
	if a, b, ok := t.adjacentVars(); ok {
		ps.add(path, fmt.Sprintf("variables {%d}{%d} are adjacent; Tencent requires text between variables", a, b))
	}
	seen := map[int]bool{}
	for _, v := range t.vars {
		if seen[v] {
			ps.add(path, fmt.Sprintf("variable {%d} appears more than once", v))
		}
		seen[v] = true
	}
	for v := 1; v <= len(seen); v++ {
		if !seen[v] {
			ps.add(path, fmt.Sprintf("variable {%d} is missing; number the variables {1}, {2}… without gaps", v))
			break
		}
	}
	if n := 2 + utf8.RuneCountInString(m.SignName) + t.litLen; n > MaxMessageLen {
		ps.add(path, fmt.Sprintf("is %d characters with the signature before any variable is filled in; the limit is %d", n, MaxMessageLen))
	}
}

func (m Manifest) validateParams(t smsTemplate, ps *problems) {
	if nv := len(distinct(t.vars)); nv != len(m.Params) && m.TemplateText != "" {
		ps.add("params", fmt.Sprintf("the template has %d variable(s) but params has %d entr%s; list one entry per variable, in order {1}, {2}…",
			nv, len(m.Params), plural(len(m.Params), "y", "ies")))
	}
	links := 0
	for i, p := range m.Params {
		path := fmt.Sprintf("params[%d]", i)
		set := 0
		if p.Column != "" {
			set++
		}
		if p.Const != nil {
			set++
		}
		if p.Link {
			set++
			links++
		}
		if set != 1 {
			ps.add(path, `set exactly one of {"column":"…"}, {"const":"…"} or {"link":true}`)
		}
		if p.Default != nil {
			if p.Column == "" {
				ps.add(path+".default", "only applies to a column parameter")
			}
			for _, msg := range valueProblems(*p.Default, m.ParamMaxLen) {
				ps.add(path+".default", msg)
			}
		}
		if p.Const != nil {
			if *p.Const == "" {
				ps.add(path+".const", "is empty; Tencent rejects empty variables")
			}
			for _, msg := range valueProblems(*p.Const, m.ParamMaxLen) {
				ps.add(path+".const", msg)
			}
		}
	}
	switch {
	case m.LinkMode == LinkPersonal && links != 1:
		ps.add("params", fmt.Sprintf(`link_mode personal needs exactly one {"link":true} parameter for the personal code; found %d`, links))
	case m.LinkMode == LinkFixed && links > 0:
		ps.add("params", `{"link":true} needs link_mode personal; a fixed link is written into the template`)
	}
}

// valueProblems applies the per-row rules to a value known in advance.
func valueProblems(v string, maxLen int) []string {
	var out []string
	if bad := forbiddenIn(v); bad != "" {
		out = append(out, "contains the forbidden symbol(s) "+bad)
	}
	if containsURL(v) {
		out = append(out, "contains a link; Tencent refuses links in variables, put the link in the template text")
	}
	if n := utf8.RuneCountInString(v); n > maxLen {
		out = append(out, fmt.Sprintf("is %d characters, longer than param_max_len %d", n, maxLen))
	}
	return out
}

// validateLink: links in a template must be constants on the ICP-registered
// H5 domain (LINK_BASE_URL), and get-scheme reads the campaign from c= and the
// personal code from k=.
func (m Manifest) validateLink(t smsTemplate, ps *problems) {
	base, ok := m.linkBase(ps)
	if !ok || m.TemplateText == "" {
		return
	}
	linkVar := 0
	for i, p := range m.Params {
		if p.Link {
			linkVar = i + 1
		}
	}
	want := "c=" + m.CampaignID
	if m.LinkMode == LinkPersonal && linkVar > 0 {
		want += fmt.Sprintf("&k={%d}", linkVar)
	}
	spans := findURLs(m.TemplateText)
	if len(spans) == 0 {
		ps.add("template_text", fmt.Sprintf("has no link; the approved template must contain %s?%s", m.LinkBaseURL, want))
		return
	}
	found := false
	for _, sp := range spans {
		u := m.TemplateText[sp.start:sp.end]
		if !sameBase(u, base) {
			ps.add("template_text", fmt.Sprintf("link %s is not on link_base_url %s; a template may only carry the campaign link", u, m.LinkBaseURL))
			continue
		}
		q := ""
		if i := strings.IndexByte(u, '?'); i >= 0 {
			q = u[i+1:]
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			ps.add("template_text", fmt.Sprintf("link %s has a malformed query: %v", u, err))
			continue
		}
		if vals.Get("c") != m.CampaignID {
			ps.add("template_text", fmt.Sprintf("link %s must carry c=%s (the campaign id)", u, m.CampaignID))
			continue
		}
		if m.LinkMode == LinkPersonal && linkVar > 0 && vals.Get("k") != fmt.Sprintf("{%d}", linkVar) {
			ps.add("template_text", fmt.Sprintf("link %s must end its query with &k={%d}, the link parameter", u, linkVar))
			continue
		}
		found = true
	}
	if found && m.LinkMode == LinkFixed && len(t.vars) > 0 {
		for _, sp := range spans {
			if strings.ContainsAny(m.TemplateText[sp.start:sp.end], "{}") {
				ps.add("template_text", "a variable inside the link needs link_mode personal")
				break
			}
		}
	}
}

func (m Manifest) linkBase(ps *problems) (*url.URL, bool) {
	if m.LinkBaseURL == "" {
		ps.add("link_base_url", "missing; set LINK_BASE_URL or link_base_url to the H5 page, e.g. https://h5.example.cn/")
		return nil, false
	}
	u, err := url.Parse(m.LinkBaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		ps.add("link_base_url", fmt.Sprintf("%q must be an http(s) URL without query or fragment, e.g. https://h5.example.cn/", m.LinkBaseURL))
		return nil, false
	}
	return u, true
}

// sameBase reports whether the link u (scheme optional) is the page base.
func sameBase(u string, base *url.URL) bool {
	lower := strings.ToLower(u)
	for _, scheme := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, scheme) {
			u = u[len(scheme):]
			break
		}
	}
	host, rest := u, ""
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		host, rest = u[:i], u[i:]
	}
	if !strings.EqualFold(host, base.Host) {
		return false
	}
	path := rest
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		path = rest[:i]
	}
	return strings.TrimSuffix(path, "/") == strings.TrimSuffix(base.Path, "/")
}

func (m Manifest) validateTarget(ps *problems) {
	t := m.Target
	if t.Path == "" {
		ps.add("target.path", "missing; set the page the link opens, e.g. pages/index/index (or TARGET_PATH for uploads without a manifest)")
	}
	if strings.HasPrefix(t.Path, "/") {
		ps.add("target.path", "must not start with /; write e.g. pages/index/index")
	}
	if strings.ContainsAny(t.Path, "?#") {
		ps.add("target.path", "must not carry a query; put it in target.query")
	}
	q, err := parseQueryTemplate(t.Query)
	switch {
	case err != nil:
		ps.add("target.query", err.Error())
	case len(q.columns()) > 0:
		ps.add("target.query", perRowQueryProblem(t.Query, q))
	case len(t.Query) > MaxQueryLen:
		ps.add("target.query", fmt.Sprintf("is %d characters; WeChat accepts at most %d", len(t.Query), MaxQueryLen))
	}
	m.validateCQ(ps)
	switch t.EnvVersion {
	case "", "release", "trial", "develop":
	default:
		ps.add("target.env_version", fmt.Sprintf("%q is not release, trial or develop", t.EnvVersion))
	}
}

func (m Manifest) validateWindows(ps *problems) {
	v := m.Validity
	if !v.Start.IsZero() && !v.End.IsZero() && !v.End.After(v.Start) {
		ps.add("validity.end", "must be after validity.start")
	}
	if !m.StartAt.IsZero() && !v.End.IsZero() && !m.StartAt.Before(v.End) {
		ps.add("start_at", "is after validity.end: the links would be dead when the messages arrive")
	}
	if m.SendWindow.IsZero() {
		return
	}
	start, end, err := m.SendWindow.bounds()
	if err != nil {
		ps.add("send_window", err.Error())
		return
	}
	ms, me, _ := MarketingHours.bounds()
	if m.Type == Marketing && (start < ms || end > me) {
		ps.add("send_window", "marketing SMS may only be sent 08:00–22:00 Beijing time; keep the window inside it")
	}
}

func distinct(vs []int) map[int]bool {
	out := make(map[int]bool, len(vs))
	for _, v := range vs {
		out[v] = true
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
