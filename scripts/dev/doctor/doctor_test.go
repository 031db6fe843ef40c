package doctor

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/smsjump/smsjump/shared/cos"
	"github.com/smsjump/smsjump/shared/cos/costest"
	"github.com/smsjump/smsjump/shared/cos/sdkclient"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
	"github.com/smsjump/smsjump/shared/tccred"
)

const (
	appID     = "wx5a1b2c3d4e5f6a7b"
	wxSecret  = "doctor-test-secret"
	sdkApp    = "1400000001"
	sign      = "短信跳转示例"
	tplMarket = "100001"
	tplNotice = "100002"
	pageBase  = "https://h5.example.cn/"
	textMkt   = "{1}您好，春季会员日，点击 https://h5.example.cn/?c=spring 领取，拒收请回复R"
	textNote  = "{1}您好，订单已发货，点击 https://h5.example.cn/?c=ship 查看"
	smsID     = "AKIDdoctor01"
	smsKey    = "doctorKey01"
)

type fixture struct {
	wx  *wxapi.Server
	sms *smsapi.Server
	s   Settings
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	wx, err := wxapi.Start(wxapi.Options{AppID: appID, Secret: wxSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wx.Close() })
	sm, err := smsapi.Start(smsapi.Options{
		Credentials: map[string]smsapi.Credential{smsID: {SecretKey: smsKey}},
		SdkAppIDs:   []string{sdkApp},
		SignNames:   []string{sign},
		Templates: map[string]smsapi.Template{
			tplMarket: {Text: textMkt, Type: smsapi.Marketing},
			tplNotice: {Text: textNote},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sm.Close() })
	return &fixture{wx: wx, sms: sm, s: Settings{
		WeChatAppID: appID, WeChatSecret: wxSecret, WeChatAPIBase: wx.URL(),
		SMSSdkAppID: sdkApp, SMSSignName: sign, SMSTemplateID: tplMarket, SMSTemplateText: textMkt, SMSEndpoint: sm.URL(),
		TencentCredentials: func() (tccred.Credentials, error) { return tccred.Credentials{SecretID: smsID, SecretKey: smsKey}, nil },
		StoreURL:           "bolt://" + filepath.Join(t.TempDir(), "store.db"),
		LinkBaseURL:        pageBase,
	}}
}

func run(t *testing.T, s Settings, groups ...string) ([]Result, string) {
	t.Helper()
	var out bytes.Buffer
	rs := Run(context.Background(), s, groups, &out)
	return rs, out.String()
}

// expectFail asserts one ✘ whose line contains what and whose fix contains fix.
func expectFail(t *testing.T, rs []Result, out, what, fix string) {
	t.Helper()
	for _, r := range rs {
		if r.Mark == Fail && strings.Contains(r.What, what) {
			if !strings.Contains(r.Fix, fix) {
				t.Errorf("✘ %q names the fix %q, want it to mention %q", r.What, r.Fix, fix)
			}
			if !strings.Contains(out, "✘") || !strings.Contains(out, r.Fix) {
				t.Errorf("the printed report lacks the ✘ line or its fix:\n%s", out)
			}
			return
		}
	}
	t.Errorf("no ✘ containing %q in:\n%s", what, out)
}

func TestDoctorPassesAgainstTheSandbox(t *testing.T) {
	f := newFixture(t)
	f.s.QuotaProbeScheme = "weixin://dl/business/?t=doctorprobe"
	rs, out := run(t, f.s, "wechat", "sms", "store")
	if Failed(rs) {
		t.Fatalf("doctor failed against the sandbox:\n%s", out)
	}
	for _, want := range []string{"✔ wechat", "今日剩余打开次数 3000000", "短信应用 1400000001 存在", "签名「短信跳转示例」已审核通过",
		"模板 100001（环境变量）已审核通过", "指向 h5.example.cn", "✔ store"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestDoctorWeChatFailures(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(*fixture)
		what, fix string
	}{
		{"wrong appid", func(f *fixture) { f.s.WeChatAppID = "wx0000000000000000" }, "stable_token", "开发者ID(AppID)"},
		{"wrong secret", func(f *fixture) { f.s.WeChatSecret = "nope" }, "stable_token", "AppSecret"},
		{"IP whitelist", func(f *fixture) { f.wx.Inject(wxapi.PathStableToken, 40164, 1) }, "stable_token", "IP 白名单"},
		{"no opens left", func(f *fixture) {
			f.s.QuotaProbeScheme = "weixin://dl/business/?t=doctorprobe"
			f.wx.SetRemainVisitQuota(0)
		}, "剩余打开次数为 0", "SCHEME_FALLBACK_PLAINTEXT"},
		{"unset", func(f *fixture) { f.s.WeChatSecret = "" }, "微信凭据未设置", "WECHAT_SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.mutate(f)
			rs, out := run(t, f.s, "wechat")
			expectFail(t, rs, out, tt.what, tt.fix)
		})
	}
}

func TestDoctorSMSFailures(t *testing.T) {
	tests := []struct {
		name      string
		mutate    func(*fixture)
		what, fix string
	}{
		{"unknown app", func(f *fixture) { f.s.SMSSdkAppID = "1400999999" }, "短信应用 1400999999 不可用", "应用管理"},
		{"unknown signature", func(f *fixture) { f.s.SMSSignName = "没有的签名" }, "签名「没有的签名」不存在", "签名管理"},
		{"signature in review", func(f *fixture) {
			f.s.SMSSignName = "审核中签名"
			f.sms.SubmitSign("审核中签名", smsapi.Submission{StatusCode: smsapi.StatusInReview})
		}, "未生效（审核中）", "等待"},
		{"unknown template", func(f *fixture) { f.s.SMSTemplateID = "999999" }, "模板 999999（环境变量）不存在", "正文模板管理"},
		{"rejected template", func(f *fixture) {
			f.s.SMSTemplateID = "100003"
			f.sms.SubmitTemplate("100003", smsapi.Template{Text: textMkt}, smsapi.Submission{StatusCode: smsapi.StatusRejected, ReviewReply: "链接未备案"})
		}, "未生效（审核未通过）", "链接未备案"},
		{"text differs", func(f *fixture) { f.s.SMSTemplateText = strings.Replace(textMkt, "春季", "夏季", 1) }, "声明的正文与审核通过的不同", "SMS_TEMPLATE_TEXT"},
		{"marketing without opt-out", func(f *fixture) {
			f.s.SMSTemplateID, f.s.SMSTemplateText = tplNotice, textNote // no manifest: sent as marketing
		}, "不以「拒收请回复R」结尾", "sms_type"},
		{"link elsewhere", func(f *fixture) { f.s.LinkBaseURL = "https://other.example.cn/" }, "不在 other.example.cn 下", "LINK_BASE_URL"},
		{"no link", func(f *fixture) {
			f.s.SMSTemplateID, f.s.SMSTemplateText = "100004", "{1}您好，活动开始了，拒收请回复R"
			if err := f.sms.Approve("100004", smsapi.Template{Text: f.s.SMSTemplateText, Type: smsapi.Marketing}); err != nil {
				t.Fatal(err)
			}
		}, "里没有链接", "常量"},
		{"wrong key", func(f *fixture) {
			f.s.TencentCredentials = func() (tccred.Credentials, error) {
				return tccred.Credentials{SecretID: smsID, SecretKey: "wrong"}, nil
			}
		}, "不可用", "CAM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.mutate(f)
			rs, out := run(t, f.s, "sms")
			expectFail(t, rs, out, tt.what, tt.fix)
		})
	}
}

func TestDoctorStore(t *testing.T) {
	f := newFixture(t)
	f.s.Live, f.s.StoreURL = true, "mem://"
	rs, out := run(t, f.s, "store")
	expectFail(t, rs, out, "在 SCF 上不可用", "redis://")

	f.s.StoreURL = "redis://127.0.0.1:1/0"
	rs, out = run(t, f.s, "store")
	expectFail(t, rs, out, "存储不可访问", "STORE_URL")

	if u := os.Getenv("SMSJUMP_TEST_REDIS_URL"); u != "" {
		f.s.StoreURL = u
		if rs, out := run(t, f.s, "store"); Failed(rs) {
			t.Errorf("a reachable Redis fails:\n%s", out)
		}
	}
}

func TestDoctorPage(t *testing.T) {
	page := func(ct, disp string, status int) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			if disp != "" {
				w.Header().Set("Content-Disposition", disp)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<!doctype html><title>x</title>"))
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	api := func(allow string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if o := r.Header.Get("Origin"); o == allow {
				w.Header().Set("Access-Control-Allow-Origin", o)
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	good := page("text/html; charset=utf-8", "", 200)
	origin := good.URL

	f := newFixture(t)
	f.s.LinkBaseURL, f.s.APIURL = good.URL+"/", api(origin).URL
	if rs, out := run(t, f.s, "page"); Failed(rs) || !strings.Contains(out, "以 text/html 直接显示") || !strings.Contains(out, "允许页面的来源") {
		t.Fatalf("a good page and API fail:\n%s", out)
	}

	tests := []struct {
		name      string
		mutate    func(*Settings)
		what, fix string
	}{
		{"attachment", func(s *Settings) { s.LinkBaseURL = page("text/html", "attachment; filename=index.html", 200).URL + "/" },
			"以附件下载", "自定义源站域名"},
		{"not html", func(s *Settings) { s.LinkBaseURL = page("application/octet-stream", "", 200).URL + "/" }, "不是 text/html", "CDN"},
		{"missing", func(s *Settings) { s.LinkBaseURL = page("text/html", "", 404).URL + "/" }, "返回 HTTP 404", "deploy.sh"},
		{"no CORS for the page", func(s *Settings) { s.APIURL = api("https://elsewhere.example.cn").URL }, "不允许页面的来源", "LINK_BASE_URL"},
		{"plain HTTP on the platform", func(s *Settings) { s.Live = true }, "不是 HTTPS", "HTTPS 证书"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := f.s
			tt.mutate(&s)
			rs, out := run(t, s, "page")
			expectFail(t, rs, out, tt.what, tt.fix)
		})
	}
}

func TestDoctorCOS(t *testing.T) {
	cfg := costest.Config(t)
	srv := costest.Lookup(t)
	f := newFixture(t)
	f.s.Bucket, f.s.COSRegion, f.s.COSEndpoint, f.s.COSPathStyle = cfg.Bucket, cfg.Region, cfg.Endpoint, true
	f.s.COSCredentials = credentials.NewStaticCredentialsProvider(srv.Access, srv.Secret, "")
	if rs, out := run(t, f.s, "cos"); Failed(rs) {
		t.Fatalf("an existing bucket fails:\n%s", out)
	}

	missing := f.s
	missing.Bucket = "nosuchbucket-1250000000"
	rs, out := run(t, missing, "cos")
	expectFail(t, rs, out, "不可用", "存储桶列表")

	denied := f.s
	denied.COSCredentials = credentials.NewStaticCredentialsProvider(srv.Access, "wrong-secret", "")
	rs, out = run(t, denied, "cos")
	expectFail(t, rs, out, "不可用", "CAM")
}

// A cos:// store in a bucket that had versioning: create-if-absent is not
// guaranteed on COS, so doctor refuses it. The shared test server has no
// versioning; this test starts a versitygw of its own with it.
func TestDoctorCOSStoreBucketWithVersioning(t *testing.T) {
	bin := os.Getenv("SMSJUMP_TEST_VERSITYGW")
	if bin == "" {
		if os.Getenv(costest.EnvRequire) == "1" {
			t.Fatal("SMSJUMP_TEST_VERSITYGW is not set (scripts/lib/servers.sh sets it)")
		}
		t.Skip("no versitygw binary: run through ./scripts/test.sh")
	}
	endpoint := startVersitygw(t, bin)
	const access, secret, region = "doctorver", "doctor-versioning-secret", "ap-guangzhou"
	creds := credentials.NewStaticCredentialsProvider(access, secret, "")
	ctx := context.Background()
	c, err := sdkclient.New(cos.Config{Bucket: "x-1250000000", Region: region, Endpoint: endpoint, PathStyle: true, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	campaign, state := "campaign-1250000000", "state-1250000000"
	for _, b := range []string{campaign, state} {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &b}); err != nil {
			t.Fatal(err)
		}
	}
	f := newFixture(t)
	f.s.Bucket, f.s.COSRegion, f.s.COSEndpoint, f.s.COSPathStyle, f.s.COSCredentials = campaign, region, endpoint, true, creds
	f.s.StoreURL = "cos://" + state + "/state?region=" + region + "&endpoint=" + endpoint + "&path_style=true"
	if rs, out := run(t, f.s, "cos"); Failed(rs) || !strings.Contains(out, "从未开启版本控制") {
		t.Fatalf("a never-versioned store bucket fails:\n%s", out)
	}
	for _, status := range []s3types.BucketVersioningStatus{s3types.BucketVersioningStatusEnabled, s3types.BucketVersioningStatusSuspended} {
		if _, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &state,
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: status}}); err != nil {
			t.Fatal(err)
		}
		rs, out := run(t, f.s, "cos")
		expectFail(t, rs, out, "开启过版本控制", "从未开启版本控制的桶")
	}
}

func startVersitygw(t *testing.T, bin string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	for _, d := range []string{"data", "versions"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--port", addr, "--access", "doctorver", "--secret", "doctor-versioning-secret",
		"--region", "ap-guangzhou", "--quiet", "posix", "--versioning-dir", filepath.Join(dir, "versions"), filepath.Join(dir, "data"))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("versitygw did not start on %s:\n%s", addr, logs.String())
	return ""
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// --manifests checks the template of every manifest under uploads/, each
// named by its object key.
func TestDoctorChecksTheManifestsInTheBucket(t *testing.T) {
	cfg := costest.Config(t)
	srv := costest.Lookup(t)
	f := newFixture(t)
	f.s.Bucket, f.s.COSRegion, f.s.COSEndpoint, f.s.COSPathStyle = cfg.Bucket, cfg.Region, cfg.Endpoint, true
	f.s.COSCredentials = credentials.NewStaticCredentialsProvider(srv.Access, srv.Secret, "")
	f.s.Manifests = true
	c, err := cos.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	name := "doctor-" + randHex(4)
	good := `{"template_id":"` + tplNotice + `","template_text":"` + textNote + `","sms_type":"notification","target":{"path":"pages/index/index"}}`
	bad := `{"template_id":"` + tplNotice + `","template_text":"{1}您好，订单已发货","sms_type":"notification","target":{"path":"pages/index/index"}}`
	for key, body := range map[string]string{"uploads/" + name + "-ok.json": good, "uploads/" + name + "-bad.json": bad} {
		if _, err := c.Put(ctx, key, []byte(body), cos.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.Delete(context.Background(), key) })
	}
	rs, out := run(t, f.s, "sms")
	if !strings.Contains(out, "模板 100002（uploads/"+name+"-ok.json）已审核通过") {
		t.Errorf("the good manifest is not checked:\n%s", out)
	}
	expectFail(t, rs, out, "（uploads/"+name+"-bad.json）声明的正文与审核通过的不同", "template_text")
}
