package campaign

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

var testDefaults = Defaults{
	CampaignID:   "upload-1",
	SDKAppID:     "1400000001",
	SignName:     "默认签名",
	TemplateID:   "1000001",
	TemplateText: "活动开始了，详情 https://h5.example.cn/?c=upload-1 拒收请回复R",
	LinkBaseURL:  "https://h5.example.cn/",
	QPS:          100,
	TargetPath:   "pages/index/index",
}

func parseFile(t *testing.T, path string) Manifest {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := ParseManifest(f, testDefaults)
	if err != nil {
		t.Fatalf("ParseManifest(%s): %v", path, err)
	}
	return m
}

func TestParseManifestExample(t *testing.T) {
	m := parseFile(t, "testdata/manifest.example.json")
	if err := m.Validate(); err != nil {
		t.Fatalf("example does not validate: %v", err)
	}
	if m.CampaignID != "spring2026" || m.SDKAppID != "1400123456" || m.Type != Marketing ||
		m.LinkMode != LinkPersonal || len(m.Params) != 3 || !m.Params[2].Link ||
		*m.Params[0].Default != "会员" || *m.Params[1].Const != "20" || m.QPS != 500 ||
		m.Target.Query != "from=sms" || m.Target.CQ != "uid={{uid}}" || m.SendWindow.Start != "10:00" {
		t.Fatalf("example parsed wrong: %+v", m)
	}
	want := time.Date(2026, 3, 1, 0, 0, 0, 0, beijing)
	if !m.Validity.Start.Equal(want) {
		t.Fatalf("validity.start = %v, want %v", m.Validity.Start, want)
	}
}

func TestParseManifestDefaults(t *testing.T) {
	m := parseFile(t, "testdata/manifest.fixed.json")
	if err := m.Validate(); err != nil {
		t.Fatalf("fixed example does not validate: %v", err)
	}
	if m.SDKAppID != testDefaults.SDKAppID || m.SignName != testDefaults.SignName ||
		m.TemplateID != testDefaults.TemplateID || m.LinkBaseURL != testDefaults.LinkBaseURL ||
		m.QPS != 100 || m.ParamMaxLen != DefaultParamMaxLen || m.Type != Marketing || m.LinkMode != LinkFixed {
		t.Fatalf("defaults not applied: %+v", m)
	}
	// The manifest brings its own text for the default template id.
	if !strings.Contains(m.TemplateText, "poster-march") {
		t.Fatalf("template text replaced by the default: %q", m.TemplateText)
	}

	d := DefaultManifest(testDefaults)
	if err := d.Validate(); err != nil {
		t.Fatalf("DefaultManifest does not validate: %v", err)
	}
	if d.TemplateText != testDefaults.TemplateText || d.QPS != 100 {
		t.Fatalf("DefaultManifest = %+v", d)
	}
	// Another template id must not inherit the default template's text.
	m2, err := ParseManifest(strings.NewReader(`{"template_id":"999"}`), testDefaults)
	if err != nil {
		t.Fatal(err)
	}
	if m2.TemplateText != "" {
		t.Fatalf("template 999 got the default template's text")
	}
	noQPS := testDefaults
	noQPS.QPS = 0
	if m := DefaultManifest(noQPS); m.QPS != DefaultQPS {
		t.Fatalf("QPS = %d, want %d", m.QPS, DefaultQPS)
	}
}

func TestParseManifestErrors(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string // substrings of the error, all required
	}{
		{"syntax", "{\n  \"campaign_id\": \"a\",\n  \"qps\": ,\n}", []string{"line 3 column"}},
		{"empty", "", []string{"empty or truncated"}},
		{"not an object", `["a"]`, []string{"JSON object"}},
		{"trailing data", `{} {}`, []string{"after the JSON object"}},
		{"unknown fields all listed", `{"campaign":"x","templat_id":"1","target":{"pth":"a"},"params":[{"colum":"a"}],"zzzzzz":1}`,
			[]string{"problems:", `campaign: unknown field; did you mean "campaign_id"?`, `templat_id: unknown field; did you mean "template_id"?`,
				`target.pth: unknown field; did you mean "path"?`, `params[0].colum: unknown field; did you mean "column"?`, "zzzzzz: unknown field; see testdata"}},
		// An unknown field does not hide the invalid values (the README
		// promises every problem at once).
		{"unknown fields and invalid values together", `{"campaign_id":"Bad Id!","qps":-3,"sms_type":"promo","zzz":1}`,
			[]string{"5 problems", "zzz: unknown field", `campaign_id: "Bad Id!" may only use`, "qps: must be at least 1", `sms_type: "promo" is not marketing or notification`}},
		{"case matters", `{"Campaign_ID":"x"}`, []string{`Campaign_ID: unknown field; did you mean "campaign_id"?`}},
		{"wrong type", `{"qps":"fast"}`, []string{"qps: must be a whole number, not string"}},
		{"wrong nested type", `{"target":{"path":1}}`, []string{"target.path: must be a string, not number"}},
		{"bad time", `{"validity":{"start":"2026-03-01 09:00"}}`, []string{"not RFC 3339"}},
		{"too big", `{"campaign_id":"` + strings.Repeat("x", maxManifestBytes) + `"}`, []string{"larger than 1 MiB"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest(strings.NewReader(tc.json), testDefaults)
			if !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("err = %v, want ErrInvalidManifest", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestParseManifestAcceptsBOM(t *testing.T) {
	if _, err := ParseManifest(strings.NewReader("\ufeff{\"qps\": 5}"), testDefaults); err != nil {
		t.Fatal(err)
	}
}

func TestCampaignIDFromName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"spring-2026", "spring-2026"},
		{"a_b", "a_b"},
	}
	for _, tc := range tests {
		if got := CampaignIDFromName(tc.in); got != tc.want {
			t.Errorf("CampaignIDFromName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	seen := map[string]string{}
	for _, in := range []string{"Spring 2026", "spring 2026", "春季活动", "秋季活动", "", "---", strings.Repeat("长名字abc", 20), "A/B\\C"} {
		got := CampaignIDFromName(in)
		if !campaignIDPattern.MatchString(got) {
			t.Errorf("CampaignIDFromName(%q) = %q, not a valid id", in, got)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q both map to %q", in, other, got)
		}
		seen[got] = in
	}
	if got := CampaignIDFromName("Spring 2026"); !strings.HasPrefix(got, "spring-2026-") {
		t.Errorf("readable part lost: %q", got)
	}
}
