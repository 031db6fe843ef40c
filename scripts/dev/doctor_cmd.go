package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/smsjump/smsjump/scripts/dev/doctor"
	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/tccred"
)

// runDoctor is `doctor [--live] [--checks wechat,sms,cos,store,page]
// [--manifests]`: read-only checks of the account a deploy will use. The
// sandbox mode runs the same checks against the local WeChat and SMS
// sandboxes; scripts/deploy.sh runs --live before it deploys anything.
func runDoctor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	live := fs.Bool("live", false, "check the real account: WeChat, Tencent SMS and COS with the deploy variables from the environment")
	checks := fs.String("checks", "", "comma-separated: "+strings.Join(doctor.Groups, ",")+" (default all)")
	manifests := fs.Bool("manifests", false, "also check the templates of the manifests under uploads/ in BUCKET")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("doctor takes no arguments, got %q", pos[0])
	}
	groups, err := doctor.ParseGroups(*checks)
	if err != nil {
		return usagef("--checks: %v", err)
	}
	var s doctor.Settings
	if *live {
		s, err = liveDoctorSettings(os.Getenv)
	} else {
		var stop func()
		s, groups, stop, err = sandboxDoctorSettings(groups)
		if stop != nil {
			defer stop()
		}
	}
	if err != nil {
		return err
	}
	s.Manifests = *manifests
	results := doctor.Run(ctx, s, groups, os.Stdout)
	if doctor.Failed(results) {
		return errors.New("doctor: some checks failed (✘); each names the console step that fixes it")
	}
	return nil
}

// liveDoctorSettings reads the deploy variables. Keys: TENCENTCLOUD_* (as
// the functions get them), else the TENCENT_SECRET_ID/KEY the scf CLI uses,
// from the environment or from the .env its QR login writes.
func liveDoctorSettings(getenv func(string) string) (doctor.Settings, error) {
	getenv = withDotEnv(getenv, ".env")
	for _, pair := range [][2]string{{tccred.EnvSecretID, "TENCENT_SECRET_ID"}, {tccred.EnvSecretKey, "TENCENT_SECRET_KEY"}, {tccred.EnvSessionToken, "TENCENT_TOKEN"}} {
		if getenv(pair[0]) == "" && getenv(pair[1]) != "" {
			// store.Open and the SDKs read TENCENTCLOUD_*.
			if err := os.Setenv(pair[0], getenv(pair[1])); err != nil {
				return doctor.Settings{}, err
			}
		}
	}
	// config.Load parses the same variables the functions will read, so a
	// value they would refuse is refused here first.
	cfg, err := config.Load(func(k string) string {
		if k == "TENCENTCLOUD_RUNENV" || k == "SCF_FUNCTIONNAME" {
			return ""
		}
		return getenv(k)
	})
	if err != nil {
		return doctor.Settings{}, err
	}
	return doctor.Settings{
		Live:        true,
		WeChatAppID: cfg.WeChat.AppID, WeChatSecret: cfg.WeChat.Secret, WeChatAPIBase: cfg.WeChat.APIBase,
		QuotaProbeScheme: cfg.Token.ProbeScheme,
		SMSSdkAppID:      cfg.SMS.SdkAppID, SMSSignName: cfg.SMS.SignName, SMSTemplateID: cfg.SMS.TemplateID,
		SMSTemplateText: cfg.SMS.TemplateText, SMSRegion: cfg.SMS.Region, SMSEndpoint: cfg.SMS.Endpoint,
		TencentCredentials: tccred.FromEnv, COSCredentials: tccred.AWSProvider(),
		Bucket: cfg.COS.Bucket, COSRegion: cfg.COS.Region, COSEndpoint: cfg.COS.Endpoint, COSPathStyle: cfg.COS.PathStyle,
		StoreURL:    strings.TrimSpace(getenv("STORE_URL")),
		LinkBaseURL: cfg.Link.BaseURL, APIURL: strings.TrimSpace(getenv("SMSJUMP_API_URL")),
	}, nil
}

// sandboxDefaultTemplate is the sandbox account's default template: an
// upload without a manifest is sent as marketing, so it ends with 拒收请回复R.
var sandboxDefaultTemplate = smsapi.Template{
	Text: "{1}您好，春日游园活动已开始，点击 " + demoShippedBase + "?c=demo 进入小程序领取门票，拒收请回复R",
	Type: smsapi.Marketing,
}

const sandboxDefaultTemplateID = "100001"

// sandboxDoctorSettings starts the WeChat and SMS sandboxes with the
// default template approved. COS and the page have no sandbox of their
// own: they are checked only when COS_ENDPOINT or LINK_BASE_URL point at
// something (a local S3 server, a running emulator).
func sandboxDoctorSettings(groups []string) (doctor.Settings, []string, func(), error) {
	log := slog.New(slog.DiscardHandler)
	ap := newApprovals()
	ap.templates[sandboxDefaultTemplateID] = sandboxDefaultTemplate
	sb, err := startSandboxes(ap, log)
	if err != nil {
		return doctor.Settings{}, nil, nil, err
	}
	dir, err := os.MkdirTemp("", "smsjump-doctor-")
	if err != nil {
		sb.Close()
		return doctor.Settings{}, nil, nil, err
	}
	stop := func() { sb.Close(); os.RemoveAll(dir) }
	cred := sb.cred
	s := doctor.Settings{
		WeChatAppID: sandboxAppID, WeChatSecret: sb.wxSecret, WeChatAPIBase: sb.wx.URL(),
		SMSSdkAppID: sandboxSdkAppID, SMSSignName: sandboxSignName, SMSTemplateID: sandboxDefaultTemplateID, SMSTemplateText: sandboxDefaultTemplate.Text,
		SMSEndpoint: sb.sms.URL(),
		TencentCredentials: func() (tccred.Credentials, error) {
			return tccred.Credentials{SecretID: cred.id, SecretKey: cred.key, SessionToken: cred.token}, nil
		},
		StoreURL:    "bolt://" + filepath.Join(dir, "store.db"),
		LinkBaseURL: envOr("LINK_BASE_URL", demoShippedBase), APIURL: os.Getenv("SMSJUMP_API_URL"),
		Bucket: envOr("BUCKET", sandboxBucket), COSRegion: envOr("COS_REGION", sandboxRegion), COSEndpoint: os.Getenv("COS_ENDPOINT"),
		COSPathStyle: os.Getenv("COS_PATH_STYLE") == "true", COSCredentials: tccred.AWSProvider(),
	}
	if len(groups) == 0 {
		groups = doctor.Groups
	}
	var keep []string
	for _, g := range groups {
		switch {
		case g == "cos" && s.COSEndpoint == "":
			fmt.Println("– cos    沙箱没有 COS：本地桶 ./.smsjump/bucket 代替它（设 COS_ENDPOINT 指向本地 S3 服务器可检查）")
		case g == "page" && os.Getenv("LINK_BASE_URL") == "":
			fmt.Println("– page   沙箱不检查页面：先运行模拟器，再设 LINK_BASE_URL=http://127.0.0.1:8080/ SMSJUMP_API_URL=http://127.0.0.1:8080/api/scheme")
		default:
			keep = append(keep, g)
		}
	}
	if len(keep) == 0 {
		keep = []string{"none"}
	}
	return s, keep, stop, nil
}

// withDotEnv adds the CLI's login keys from path (KEY=value lines, as the
// scf CLI writes them after a QR login) where the environment has none.
func withDotEnv(getenv func(string) string, path string) func(string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return getenv
	}
	file := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.HasPrefix(k, "#") {
			continue
		}
		switch k = strings.TrimSpace(k); k {
		case "TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN":
			file[k] = strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return func(k string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return file[k]
	}
}
