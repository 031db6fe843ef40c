package scripts

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/config"
	"github.com/smsjump/smsjump/shared/scheme"
)

// These tests run the real scripts/deploy.sh, with stand-ins on PATH for
// the tools it calls (scf, go) and for scripts/build.sh, given only the
// variables the README tells a user to export. The stand-ins record the
// arguments, working directory and environment of every call; the recorded
// scf deploy calls are rendered as the real CLI renders serverless.yml
// (resolve_test.go) and each function's rendered environment goes through
// that function's real configuration loading.

// standInURL is the Function URL the stand-in `scf info` prints.
const standInURL = "https://1250000000-x1y2z3w4.ap-guangzhou.tencentscf.com"

// functionNeeds is what each function's main passes to setup.Init; call is
// the text of that call in main.go, checked so this table cannot drift.
var functionNeeds = map[string]struct {
	call  string
	needs func(getenv func(string) string) []config.Need
}{
	// main.go's needs() (routes.go) adds the bucket when CALLBACK_TOKEN is set.
	"get-scheme": {"setup.Init(needs(os.Getenv, scheme.ConfigNeeds(os.Getenv))...)", func(getenv func(string) string) []config.Need {
		n := scheme.ConfigNeeds(getenv)
		if getenv("CALLBACK_TOKEN") != "" {
			n = append(n, config.NeedBucket)
		}
		return n
	}},
	"send-sms": {"setup.Init(config.NeedStore, config.NeedBucket, config.NeedSMS)", func(func(string) string) []config.Need {
		return []config.Need{config.NeedStore, config.NeedBucket, config.NeedSMS}
	}},
	"token-refresh": {"setup.Init(config.NeedWeChat, config.NeedStore)", func(func(string) string) []config.Need {
		return []config.Need{config.NeedWeChat, config.NeedStore}
	}},
}

type toolCall struct {
	tool string
	args []string
	dir  string
	env  map[string]string
}

type deployRun struct {
	root   string
	calls  []toolCall
	output string
	err    error
}

// readmeExports returns the variables of the README's deploy commands: the
// `export` lines of the shell block that runs scripts/deploy.sh.
func readmeExports(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(b), "```")
	for i := 1; i < len(blocks); i += 2 {
		block := blocks[i]
		if !strings.HasPrefix(block, "sh") || !strings.Contains(block, "scripts/deploy.sh") || !strings.Contains(block, "export ") {
			continue
		}
		vars := map[string]string{}
		joined := strings.ReplaceAll(block, "\\\n", " ")
		for _, line := range strings.Split(joined, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "export ") {
				continue
			}
			if c := strings.Index(line, " #"); c >= 0 {
				line = line[:c]
			}
			for _, f := range strings.Fields(strings.TrimPrefix(line, "export ")) {
				k, v, ok := strings.Cut(f, "=")
				if !ok {
					t.Fatalf("README export %q is not NAME=value", f)
				}
				vars[k] = v
			}
		}
		if len(vars) > 0 {
			return vars
		}
	}
	t.Fatal("README has no ```sh block with the exports for scripts/deploy.sh")
	return nil
}

const recordFn = `
log=%q
n=$(cat "$log/n" 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > "$log/n"
mkdir "$log/$n"
printf '%%s' "$(basename "$0")" > "$log/$n/tool"
for a in "$@"; do printf '%%s\0' "$a"; done > "$log/$n/args"
pwd > "$log/$n/dir"
env -0 > "$log/$n/env"
`

// newDeployTree lays out a copy of the files deploy.sh reads, with script
// as its scripts/deploy.sh, and stand-ins on bin/.
func newDeployTree(t *testing.T, script []byte, scfVersion string) (root, bin, log string) {
	t.Helper()
	root = t.TempDir()
	bin = filepath.Join(root, ".bin")
	log = filepath.Join(root, ".log")
	for _, d := range []string{"scripts", "static", bin, log} {
		if err := os.MkdirAll(filepath.Join(root, strings.TrimPrefix(d, root)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(t, "../serverless.yml", filepath.Join(root, "serverless.yml"))
	copyFile(t, "../static/serverless.yml", filepath.Join(root, "static/serverless.yml"))
	write := func(path, body string) {
		if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "scripts/deploy.sh"), string(script))
	rec := fmt.Sprintf(recordFn, log)
	write(filepath.Join(root, "scripts/build.sh"), "#!/bin/sh\n"+rec)
	write(filepath.Join(bin, "scf"), "#!/bin/sh\n"+fmt.Sprintf(`
case "$1" in
  --version) printf '\n  %s\n\n'; exit 0 ;;
esac
`, scfVersion)+rec+`
if [ "$1" = info ]; then
  printf '\033[90m函数 URL:\033[0m\n  get-scheme:\n    url: %s\n' '`+standInURL+`'
fi
`)
	write(filepath.Join(bin, "npx"), "#!/bin/sh\n"+rec)
	write(filepath.Join(bin, "go"), "#!/bin/sh\n"+rec+`
case "$*" in *doctor*) exit "$(cat "`+log+`/doctor_exit" 2>/dev/null || echo 0)" ;; esac
`)
	return root, bin, log
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runDeploy runs script (the text of a deploy.sh) in a fresh tree with only
// vars in its environment, plus PATH and HOME.
func runDeploy(t *testing.T, script []byte, vars map[string]string, args ...string) deployRun {
	return runDeployWith(t, script, "serverless-cloud-framework version: 1.3.0(npm)", 0, vars, args...)
}

func runDeployWith(t *testing.T, script []byte, scfVersion string, doctorExit int, vars map[string]string, args ...string) deployRun {
	t.Helper()
	root, bin, log := newDeployTree(t, script, scfVersion)
	if err := os.WriteFile(filepath.Join(log, "doctor_exit"), []byte(strconv.Itoa(doctorExit)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "scripts/deploy.sh")}, args...)...)
	cmd.Env = []string{"PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin", "HOME=" + root}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	run := deployRun{root: root, output: string(out), err: err}
	n, _ := strconv.Atoi(strings.TrimSpace(readString(t, filepath.Join(log, "n"))))
	for i := 1; i <= n; i++ {
		d := filepath.Join(log, strconv.Itoa(i))
		c := toolCall{tool: readString(t, filepath.Join(d, "tool")), dir: strings.TrimSpace(readString(t, filepath.Join(d, "dir"))), env: map[string]string{}}
		if a := strings.TrimSuffix(readString(t, filepath.Join(d, "args")), "\x00"); a != "" {
			c.args = strings.Split(a, "\x00")
		}
		for _, kv := range strings.Split(readString(t, filepath.Join(d, "env")), "\x00") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				c.env[k] = v
			}
		}
		run.calls = append(run.calls, c)
	}
	return run
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func (r deployRun) find(tool string, args ...string) (int, toolCall) {
	for i, c := range r.calls {
		if c.tool == tool && len(c.args) >= len(args) && slices.Equal(c.args[:len(args)], args) {
			return i, c
		}
	}
	return -1, toolCall{}
}

// scfDeploys are the `scf deploy` calls, by directory relative to the tree.
func (r deployRun) scfDeploys() map[string]toolCall {
	m := map[string]toolCall{}
	for _, c := range r.calls {
		if c.tool == "scf" && len(c.args) > 0 && c.args[0] == "deploy" {
			rel, _ := filepath.Rel(r.root, c.dir)
			m[rel] = c
		}
	}
	return m
}

// renderedProblems renders every recorded scf deploy as the CLI does and
// lists what would break on SCF: undefined values anywhere, and every
// problem each function's configuration loading reports.
func renderedProblems(t *testing.T, r deployRun, dirs ...string) []string {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{".", "static"}
	}
	var problems []string
	deploys := r.scfDeploys()
	for _, dir := range dirs {
		c, ok := deploys[dir]
		if !ok {
			problems = append(problems, fmt.Sprintf("no scf deploy in %s", dir))
			continue
		}
		src, err := os.ReadFile(filepath.Join(c.dir, "serverless.yml"))
		if err != nil {
			t.Fatal(err)
		}
		tree, err := renderYAML(src, c.env, c.args...)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s/serverless.yml: %v", dir, err))
			continue
		}
		var undef []string
		undefinedPaths(tree, dir+"/serverless.yml", &undef)
		problems = append(problems, undef...)
		if dir != "." {
			continue
		}
		inputs, _ := tree.(map[string]any)["inputs"].(map[string]any)
		functions, _ := inputs["functions"].(map[string]any)
		for key, f := range functions {
			env := map[string]string{"TENCENTCLOUD_RUNENV": "SCF", "SCF_FUNCTIONNAME": fmt.Sprint(f.(map[string]any)["name"])}
			list, _ := f.(map[string]any)["environments"].([]any)
			for _, e := range list {
				kv := e.(map[string]any)
				env[jsString(kv["key"])] = jsString(kv["value"])
			}
			fn, ok := functionNeeds[key]
			if !ok {
				problems = append(problems, "no configuration needs known for function "+key)
				continue
			}
			getenv := func(k string) string { return env[k] }
			if _, err := config.Load(getenv, fn.needs(getenv)...); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", key, err))
			}
		}
	}
	return problems
}

func TestFunctionNeedsMatchTheMains(t *testing.T) {
	for name, fn := range functionNeeds {
		src, err := os.ReadFile(filepath.Join("../functions", name, "main.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(src, []byte(fn.call)) {
			t.Errorf("functions/%s/main.go no longer calls %s: update functionNeeds", name, fn.call)
		}
	}
}

func deployScript(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("deploy.sh")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDeployWithTheREADMEVariables(t *testing.T) {
	vars := readmeExports(t)
	r := runDeploy(t, deployScript(t), vars)
	if r.err != nil {
		t.Fatalf("deploy.sh with the README's variables: %v\n%s", r.err, r.output)
	}
	for _, p := range renderedProblems(t, r) {
		t.Error(p)
	}

	// Order: doctor on the account, functions, Function URL, page, page checks.
	doctor, _ := r.find("go", "run", "./scripts/dev", "doctor", "--live")
	fnBuild, _ := r.find("build.sh", "--functions-only")
	fnDeploy, _ := r.find("scf", "deploy")
	info, _ := r.find("scf", "info")
	pageBuild, pb := r.find("build.sh", "--page-only")
	deploys := r.scfDeploys()
	if doctor < 0 || !(doctor < fnBuild && fnBuild < fnDeploy && fnDeploy < info && info < pageBuild) {
		t.Errorf("calls out of order (doctor %d, build %d, deploy %d, info %d, page build %d)", doctor, fnBuild, fnDeploy, info, pageBuild)
	}
	if pb.env["SMSJUMP_API_URL"] != standInURL || deploys["static"].env["SMSJUMP_API_URL"] != standInURL {
		t.Errorf("the page is built with SMSJUMP_API_URL=%q, want the Function URL from scf info %q", pb.env["SMSJUMP_API_URL"], standInURL)
	}

	// What the platform gets: names per stage, role, VPC, fixed egress IP
	// where WeChat is called, CORS for the page's origin, the page's domain.
	src, _ := os.ReadFile(filepath.Join(r.root, "serverless.yml"))
	tree, err := renderYAML(src, deploys["."].env)
	if err != nil {
		t.Fatal(err)
	}
	inputs := tree.(map[string]any)["inputs"].(map[string]any)
	if inputs["role"] != vars["SCF_ROLE"] {
		t.Errorf("role %v, want %s", inputs["role"], vars["SCF_ROLE"])
	}
	if vpc, _ := inputs["vpc"].(map[string]any); vpc["vpcId"] != vars["VPC_ID"] || vpc["subnetId"] != vars["SUBNET_ID"] {
		t.Errorf("vpc %v", inputs["vpc"])
	}
	for key, f := range inputs["functions"].(map[string]any) {
		fm := f.(map[string]any)
		if want := "smsjump-" + vars["STAGE"] + "-" + key; fm["name"] != want {
			t.Errorf("%s deploys as %v, want %s (the stage keeps dev and prod apart)", key, fm["name"], want)
		}
		if key != "send-sms" && fm["eip"] != true {
			t.Errorf("%s calls WeChat: eip must be the YAML boolean true (the toolkit tests eip === true), got %#v", key, fm["eip"])
		}
		if key == "get-scheme" {
			env := map[string]string{}
			for _, e := range fm["environments"].([]any) {
				env[jsString(e.(map[string]any)["key"])] = jsString(e.(map[string]any)["value"])
			}
			cfg, err := config.Load(func(k string) string { return env[k] })
			if err != nil || !slices.Contains(cfg.CORS.AllowedOrigins, originOf(vars["LINK_BASE_URL"])) {
				t.Errorf("get-scheme does not allow the page's origin %s: %v %v", originOf(vars["LINK_BASE_URL"]), err, cfg)
			}
		}
	}
	src, _ = os.ReadFile(filepath.Join(r.root, "static/serverless.yml"))
	site, err := renderYAML(src, deploys["static"].env)
	if err != nil {
		t.Fatal(err)
	}
	hosts, _ := site.(map[string]any)["inputs"].(map[string]any)["hosts"].([]any)
	if len(hosts) != 1 || hosts[0].(map[string]any)["host"] != strings.TrimPrefix(originOf(vars["LINK_BASE_URL"]), "https://") {
		t.Errorf("the page must be bound to LINK_BASE_URL's domain (COS default domains download it): hosts %v", hosts)
	}
}

func originOf(u string) string {
	m := regexp.MustCompile(`^https?://[^/?#]+`).FindString(u)
	return strings.ToLower(m)
}

// optionalVariables reads deploy.sh's list of optional variables.
func optionalVariables(t *testing.T, script []byte) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)\noptional=\(\n(.*?)\n\)`).FindSubmatch(script)
	if m == nil {
		t.Fatal("deploy.sh has no optional=( … ) list")
	}
	return strings.Fields(string(m[1]))
}

func withoutWord(script []byte, word string) []byte {
	re := regexp.MustCompile(`(?s)(\noptional=\(\n.*?)\b` + word + `\b(.*?\n\))`)
	return re.ReplaceAll(script, []byte("${1}${2}"))
}

func withoutGuard(t *testing.T, script []byte) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?s)# undefined-guard \{.*# \} undefined-guard\n`)
	if !re.Match(script) {
		t.Fatal("deploy.sh has no undefined-guard block")
	}
	return re.ReplaceAll(script, nil)
}

// Dropping any optional variable from deploy.sh must fail: deploy.sh's own
// guard refuses to run scf deploy and names it, and without the guard the
// rendered configuration reports the undefined value.
func TestDeployFailsWhenAnOptionalVariableIsDropped(t *testing.T) {
	vars := readmeExports(t)
	script := deployScript(t)
	optional := optionalVariables(t, script)
	if len(optional) < 10 {
		t.Fatalf("optional list too short to be real: %v", optional)
	}
	for _, v := range optional {
		if _, exported := vars[v]; exported {
			continue // the README sets it: dropping it from the list changes nothing
		}
		t.Run(v, func(t *testing.T) {
			dropped := withoutWord(script, v)
			if bytes.Equal(dropped, script) {
				t.Fatalf("could not drop %s from the list", v)
			}
			r := runDeploy(t, dropped, vars)
			if r.err == nil || !strings.Contains(r.output, v) || len(r.scfDeploys()) > 0 {
				t.Errorf("deploy.sh without %s: err %v, deploys %d, output:\n%s", v, r.err, len(r.scfDeploys()), r.output)
			}
			r = runDeploy(t, withoutGuard(t, dropped), vars)
			if r.err != nil {
				t.Fatalf("deploy.sh without guard: %v\n%s", r.err, r.output)
			}
			problems := strings.Join(renderedProblems(t, r), "\n")
			if !strings.Contains(problems, v) || !strings.Contains(problems, "undefined") {
				t.Errorf("rendering did not catch the undefined %s; problems:\n%s", v, problems)
			}
		})
	}
}

func TestDeployRefuses(t *testing.T) {
	script := deployScript(t)
	base := readmeExports(t)
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		if v == "-" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name, version string
		doctorExit    int
		vars          map[string]string
		args          []string
		say           string
		deploys       bool
	}{
		{name: "another scf", version: "scf 0.9.1 (a different tool)", vars: base, say: "not the Serverless Cloud Framework CLI"},
		{name: "old CLI", version: "serverless-cloud-framework version: 1.1.9(npm)", vars: base, say: "1.2.0"},
		{name: "no role", vars: with("SCF_ROLE", "-"), say: "SCF_ROLE"},
		{name: "redis without VPC", vars: with("VPC_ID", "-"), say: "VPC_ID"},
		{name: "cos store needs no VPC", vars: with("STORE_URL", "cos://smsjump-1250000000/state?region=ap-guangzhou"), deploys: true},
		{name: "memory store", vars: with("STORE_URL", "mem://"), say: "redis://"},
		{name: "bad stage", vars: with("STAGE", "Prod_1"), say: "STAGE"},
		{name: "doctor found problems", doctorExit: 1, vars: base, say: "--force"},
		{name: "doctor overridden", doctorExit: 1, vars: base, args: []string{"--force"}, deploys: true},
		{name: "cloudbase needs its env id", vars: with("H5_HOSTING", "cloudbase"), say: "CLOUDBASE_ENV_ID"},
		{name: "no deploy keys", vars: with("TENCENT_SECRET_ID", "-"), say: "TENCENT_SECRET_ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version := tt.version
			if version == "" {
				version = "serverless-cloud-framework version: 1.3.0(npm)"
			}
			r := runDeployWith(t, script, version, tt.doctorExit, tt.vars, tt.args...)
			if tt.deploys {
				if r.err != nil || len(r.scfDeploys()) != 2 {
					t.Fatalf("want a deploy: %v\n%s", r.err, r.output)
				}
				return
			}
			if r.err == nil || len(r.scfDeploys()) > 0 || !strings.Contains(r.output, tt.say) {
				t.Errorf("want a refusal saying %q before any scf deploy; err %v, output:\n%s", tt.say, r.err, r.output)
			}
		})
	}
}

// FIXED_EGRESS_IP=false turns the fixed egress IP off through the CLI's
// --inputs, since an ${env:X} would be the string "false" and the toolkit
// tests eip === true.
func TestDeployFixedEgressIPIsConfigurable(t *testing.T) {
	vars := readmeExports(t)
	for _, tt := range []struct {
		value string
		want  bool
	}{{"", true}, {"true", true}, {"false", false}} {
		v := map[string]string{}
		for k, x := range vars {
			v[k] = x
		}
		if tt.value != "" {
			v["FIXED_EGRESS_IP"] = tt.value
		}
		r := runDeploy(t, deployScript(t), v)
		if r.err != nil {
			t.Fatalf("FIXED_EGRESS_IP=%q: %v\n%s", tt.value, r.err, r.output)
		}
		c := r.scfDeploys()["."]
		src, _ := os.ReadFile(filepath.Join(r.root, "serverless.yml"))
		tree, err := renderYAML(src, c.env, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		fns := tree.(map[string]any)["inputs"].(map[string]any)["functions"].(map[string]any)
		for _, key := range []string{"get-scheme", "token-refresh"} {
			if got := fns[key].(map[string]any)["eip"]; got != tt.want {
				t.Errorf("FIXED_EGRESS_IP=%q: %s eip = %#v, want %v", tt.value, key, got, tt.want)
			}
		}
		if fns["send-sms"].(map[string]any)["handler"] != "send-sms" {
			t.Errorf("--inputs must merge into the functions, not replace them: %v", fns["send-sms"])
		}
	}
	v := map[string]string{}
	for k, x := range vars {
		v[k] = x
	}
	v["FIXED_EGRESS_IP"] = "no"
	if r := runDeploy(t, deployScript(t), v); r.err == nil || !strings.Contains(r.output, "FIXED_EGRESS_IP") {
		t.Errorf("FIXED_EGRESS_IP=no accepted:\n%s", r.output)
	}
}

// With CloudBase hosting the page goes up with the pinned @cloudbase/cli, not
// the website component.
func TestDeployCloudBaseHosting(t *testing.T) {
	v := map[string]string{}
	for k, x := range readmeExports(t) {
		v[k] = x
	}
	v["H5_HOSTING"], v["CLOUDBASE_ENV_ID"] = "cloudbase", "smsjump-7g3h"
	delete(v, "H5_BUCKET")
	delete(v, "H5_CERT_ID")
	r := runDeploy(t, deployScript(t), v)
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, r.output)
	}
	deploys := r.scfDeploys()
	if _, ok := deploys["static"]; ok || len(deploys) != 1 {
		t.Errorf("CloudBase hosting must not deploy static/serverless.yml: %v", deploys)
	}
	i, c := r.find("npx", "--yes", "@cloudbase/cli@2.12.10", "hosting", "deploy", "dist/static", "-e", "smsjump-7g3h")
	if i < 0 {
		t.Fatalf("no pinned CloudBase deploy among the calls:\n%s", r.output)
	}
	if c.env["SMSJUMP_API_URL"] != standInURL {
		t.Errorf("the page went up without the Function URL: %q", c.env["SMSJUMP_API_URL"])
	}
	for _, p := range renderedProblems(t, r, ".") {
		t.Error(p)
	}
}
