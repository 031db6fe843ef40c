package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"
)

// TestSpecsMatchServerless keeps the emulator's functions and timers equal
// to what serverless.yml deploys.
func TestSpecsMatchServerless(t *testing.T) {
	raw, err := os.ReadFile("../../serverless.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs struct {
			Functions map[string]struct {
				MemorySize int `yaml:"memorySize"`
				Timeout    int `yaml:"timeout"`
			} `yaml:"functions"`
			Triggers []struct {
				Type       string `yaml:"type"`
				Function   string `yaml:"function"`
				Parameters struct {
					Name           string `yaml:"name"`
					CronExpression string `yaml:"cronExpression"`
					Argument       string `yaml:"argument"`
				} `yaml:"parameters"`
			} `yaml:"triggers"`
		} `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range fnSpecs {
		f, ok := doc.Inputs.Functions[s.name]
		if !ok {
			t.Errorf("serverless.yml has no function %s", s.name)
			continue
		}
		if time.Duration(f.Timeout)*time.Second != s.timeout || f.MemorySize != s.memoryMB {
			t.Errorf("%s: emulator %s/%d MB, serverless.yml %ds/%d MB", s.name, s.timeout, s.memoryMB, f.Timeout, f.MemorySize)
		}
	}
	var timers []timerSpec
	for _, tr := range doc.Inputs.Triggers {
		if tr.Type == "timer" {
			timers = append(timers, timerSpec{function: tr.Function, name: tr.Parameters.Name, cron: tr.Parameters.CronExpression, argument: tr.Parameters.Argument})
		}
	}
	if !slices.Equal(timers, timerSpecs) {
		t.Errorf("timers differ:\nserverless.yml %+v\nemulator       %+v", timers, timerSpecs)
	}
}

func TestCronSpec(t *testing.T) {
	parser := cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	from := time.Date(2026, 3, 1, 10, 2, 30, 0, scfZone)
	tests := []struct {
		scf, want string
		next      time.Time
		bad       bool
	}{
		{scf: "0 */5 * * * * *", want: "0 */5 * * * *", next: time.Date(2026, 3, 1, 10, 5, 0, 0, scfZone)},
		{scf: "0 */2 * * * * *", want: "0 */2 * * * *", next: time.Date(2026, 3, 1, 10, 4, 0, 0, scfZone)},
		{scf: "0 0 2 * * * *", want: "0 0 2 * * *", next: time.Date(2026, 3, 2, 2, 0, 0, 0, scfZone)},
		{scf: "0 */5 * * * *", bad: true},
		{scf: "0 0 2 * * * 2027", bad: true},
	}
	for _, tt := range tests {
		got, err := cronSpec(tt.scf)
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error", tt.scf)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q → %q, %v; want %q", tt.scf, got, err, tt.want)
			continue
		}
		s, err := parser.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Next(from); !n.Equal(tt.next) {
			t.Errorf("%q next after %s = %s, want %s", tt.scf, from, n, tt.next)
		}
	}
}

func TestMissingLive(t *testing.T) {
	env := map[string]string{"WECHAT_APPID": "wx1", "WECHAT_SECRET": "s", "SMS_SDK_APP_ID": "1400000001", "SMS_SIGN_NAME": "x"}
	err := missingLive(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"TENCENTCLOUD_SECRETID", "TENCENTCLOUD_SECRETKEY", "SMS_TEMPLATE_ID"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "WECHAT_APPID") {
		t.Errorf("error names a variable that is set: %v", err)
	}
	for _, v := range liveRequired {
		env[v.name] = "x"
	}
	if err := missingLive(func(k string) string { return env[k] }); err != nil {
		t.Errorf("all set: %v", err)
	}
}

func TestFunctionEnvSandbox(t *testing.T) {
	sb := &sandboxes{wxSecret: "wxsecret", cred: tcCredential{id: "AKIDx", key: "k", token: "tok"}}
	sb.wx, sb.sms = nil, nil
	env := functionEnv(envSettings{live: true, getenv: func(k string) string {
		return map[string]string{"WECHAT_APPID": "wxlive", "SCHEME_MODE": "plaintext", "HOME": "/root"}[k]
	}, lay: layout{root: "/w"}, baseURL: "http://127.0.0.1:8080/", sb: sb})
	if env["WECHAT_APPID"] != "wxlive" || env["SCHEME_MODE"] != "plaintext" || env["STORE_URL"] != "bolt:///w/store.db" {
		t.Errorf("live env: %v", env)
	}
	if _, ok := env["HOME"]; ok {
		t.Error("unrelated shell variable leaked into the function environment")
	}
	if d := describeEnv(map[string]string{"WECHAT_SECRET": "topsecret", "TENCENTCLOUD_SESSIONTOKEN": "tok", "TOKEN_REFRESH_MARGIN": "10m"}); strings.Contains(d, "topsecret") || strings.Contains(d, "=tok") || !strings.Contains(d, "=10m") {
		t.Errorf("describeEnv: %s", d)
	}
}

func TestDemoManifest(t *testing.T) {
	m, err := parseDemoManifest("http://127.0.0.1:18080/")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.TemplateText, "http://127.0.0.1:18080/?c=demo") || m.Target.Path != "pages/index/index" {
		t.Errorf("demo manifest: %+v", m)
	}
}

func TestParseFlagsInterspersed(t *testing.T) {
	tests := []struct {
		args     []string
		manifest string
		pos      []string
	}{
		{[]string{"a.csv", "--manifest", "m.json"}, "m.json", []string{"a.csv"}},
		{[]string{"--manifest=m.json", "a.csv"}, "m.json", []string{"a.csv"}},
		{[]string{"--", "-odd.csv"}, "", []string{"-odd.csv"}},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("check", flag.ContinueOnError)
		m := fs.String("manifest", "", "")
		pos, err := parseFlags(fs, tt.args)
		if err != nil || *m != tt.manifest || !slices.Equal(pos, tt.pos) {
			t.Errorf("%q: manifest %q pos %q err %v", tt.args, *m, pos, err)
		}
	}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var ue *usageError
	if _, err := parseFlags(fs, []string{"--nope"}); !errors.As(err, &ue) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestJobName(t *testing.T) {
	for in, want := range map[string]string{"demo": "demo", "demo.csv": "demo", "uploads/demo.csv": "demo", "uploads/a/b.csv": "a/b"} {
		if got := jobName(in); got != want {
			t.Errorf("jobName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLiveGate(t *testing.T) {
	var nilGate *liveGate
	if !nilGate.allow(context.Background(), "x") || !nilGate.allowed() {
		t.Error("sandbox gate refuses")
	}
	// Every job asks: two uploads, two answers.
	var out strings.Builder
	g := &liveGate{prompt: "p", in: strings.NewReader("yes\nno\n"), out: &out, tty: true}
	if g.allowed() {
		t.Error("timers allowed before any confirmation")
	}
	if !g.allow(context.Background(), "任务 uploads/a.csv") || !g.allowed() {
		t.Error("yes did not allow")
	}
	if g.allow(context.Background(), "任务 uploads/b.csv") {
		t.Error("the second job was not asked again")
	}
	if !strings.Contains(out.String(), "uploads/a.csv") || !strings.Contains(out.String(), "uploads/b.csv") {
		t.Errorf("prompts do not say which job: %q", out.String())
	}
	// Without a terminal only --yes sends.
	out.Reset()
	g = &liveGate{prompt: "p", in: strings.NewReader("yes\n"), out: &out}
	if g.allow(context.Background(), "任务 uploads/a.csv") || !strings.Contains(out.String(), "--yes") {
		t.Errorf("no terminal: allowed, or no hint to --yes: %q", out.String())
	}
	g = &liveGate{yes: true}
	if !g.allow(context.Background(), "x") || !g.allowed() {
		t.Error("--yes asked")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, _ := io.Pipe()
	g = &liveGate{in: pr, out: &strings.Builder{}, tty: true}
	if g.allow(ctx, "x") {
		t.Error("allowed after ctx ended without an answer")
	}
}

func TestFindRepo(t *testing.T) {
	root, err := findRepo("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "functions")); err != nil {
		t.Errorf("repo root %s has no functions/", root)
	}
	if _, err := findRepo(t.TempDir()); err == nil {
		t.Error("a temp dir is accepted as the repo")
	}
}
