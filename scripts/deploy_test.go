// Package scripts holds the project's build and deploy scripts; this test
// checks that serverless.yml deploys exactly the functions that exist, with
// the triggers and settings SCF needs.
package scripts

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type manifest struct {
	Component string `yaml:"component"`
	Inputs    struct {
		Src struct {
			Src   string `yaml:"src"`
			Index string `yaml:"index"`
		} `yaml:"src"`
		Runtime   string                 `yaml:"runtime"`
		Region    string                 `yaml:"region"`
		Functions map[string]scfFunction `yaml:"functions"`
		Triggers  []trigger              `yaml:"triggers"`
	} `yaml:"inputs"`
}

type scfFunction struct {
	Name         string `yaml:"name"`
	Handler      string `yaml:"handler"`
	Timeout      int    `yaml:"timeout"`
	MemorySize   int    `yaml:"memorySize"`
	Environments []struct {
		Key   string `yaml:"key"`
		Value string `yaml:"value"`
	} `yaml:"environments"`
}

type trigger struct {
	Type       string         `yaml:"type"`
	Function   string         `yaml:"function"`
	Parameters map[string]any `yaml:"parameters"`
}

func load(t *testing.T, path string) manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func existingFunctions(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("../functions/*/main.go")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no functions found: %v", err)
	}
	var names []string
	for _, d := range dirs {
		names = append(names, filepath.Base(filepath.Dir(d)))
	}
	return names
}

var envRef = regexp.MustCompile(`^\$\{env:[A-Z][A-Z0-9_]*\}$`)

func TestServerlessYAMLDeploysTheFunctionsThatExist(t *testing.T) {
	m := load(t, "../serverless.yml")
	if m.Component != "multi-scf" || m.Inputs.Runtime != "Go1" {
		t.Fatalf("component %q runtime %q, want multi-scf and Go1", m.Component, m.Inputs.Runtime)
	}
	if m.Inputs.Src.Src != "./dist/bin" {
		t.Errorf("src %q: build.sh puts the binaries in ./dist/bin", m.Inputs.Src.Src)
	}
	configSrc := readConfigSource(t)
	var declared []string
	for key, f := range m.Inputs.Functions {
		declared = append(declared, key)
		if f.Handler != key {
			t.Errorf("%s: handler %q must be the binary name %q", key, f.Handler, key)
		}
		if f.Timeout < 1 || f.Timeout > 900 || f.MemorySize < 64 || f.MemorySize > 3072 {
			t.Errorf("%s: timeout %d s / memory %d MB outside SCF's limits", key, f.Timeout, f.MemorySize)
		}
		for _, e := range f.Environments {
			if !envRef.MatchString(e.Value) {
				t.Errorf("%s: %s = %q: every value must be a ${env:…} reference, never a literal", key, e.Key, e.Value)
			}
			if !strings.Contains(configSrc, `"`+e.Key+`"`) {
				t.Errorf("%s: %s is not a variable shared/config reads", key, e.Key)
			}
			for _, reserved := range []string{"SCF_", "QCLOUD_", "TENCENTCLOUD_"} {
				if strings.HasPrefix(e.Key, reserved) {
					t.Errorf("%s: %s uses a prefix SCF reserves", key, e.Key)
				}
			}
		}
	}
	slices.Sort(declared)
	if have := existingFunctions(t); !slices.Equal(declared, have) {
		t.Fatalf("serverless.yml declares %v, functions/ has %v", declared, have)
	}

	kinds := map[string][]trigger{}
	for _, tr := range m.Inputs.Triggers {
		if _, ok := m.Inputs.Functions[tr.Function]; !ok {
			t.Errorf("%s trigger for unknown function %q", tr.Type, tr.Function)
		}
		kinds[tr.Function+"/"+tr.Type] = append(kinds[tr.Function+"/"+tr.Type], tr)
		if tr.Type == "timer" {
			if tr.Parameters["enable"] != true || tr.Parameters["name"] == nil {
				t.Errorf("timer on %s must have a name and enable: true", tr.Function)
			}
			if cron, _ := tr.Parameters["cronExpression"].(string); len(strings.Fields(cron)) != 7 {
				t.Errorf("timer on %s: %q is not a 7-field SCF cron", tr.Function, cron)
			}
		}
	}

	if _, ok := m.Inputs.Functions["get-scheme"]; ok {
		http := kinds["get-scheme/http"]
		if len(http) != 1 || http[0].Parameters["authType"] != "NONE" || http[0].Parameters["qualifier"] != "$DEFAULT" {
			t.Errorf("get-scheme needs one public Function URL (http trigger, authType NONE): %+v", http)
		}
	}
	if _, ok := m.Inputs.Functions["send-sms"]; ok {
		// Campaign uploads, and the suppression list's additions and removals.
		var prefixes []string
		for _, tr := range kinds["send-sms/cos"] {
			p := tr.Parameters
			filter, _ := p["filter"].(map[string]any)
			prefix, _ := filter["prefix"].(string)
			prefixes = append(prefixes, prefix)
			if p["bucket"] != "${env:BUCKET}.cos.${env:COS_REGION}.myqcloud.com" ||
				filter["suffix"] != ".csv" || p["events"] != "cos:ObjectCreated:*" || p["enable"] != true {
				t.Errorf("send-sms COS trigger: %+v", p)
			}
		}
		slices.Sort(prefixes)
		if want := []string{"suppress/", "unsuppress/", "uploads/"}; !slices.Equal(prefixes, want) {
			t.Errorf("send-sms COS triggers on %v, want %v", prefixes, want)
		}
		if len(kinds["send-sms/timer"]) != 1 {
			t.Errorf("send-sms needs a timer to resume paused and deferred jobs")
		}
	}
	if _, ok := m.Inputs.Functions["token-refresh"]; ok {
		tm := kinds["token-refresh/timer"]
		if len(tm) != 1 || tm[0].Parameters["cronExpression"] != "0 */5 * * * * *" {
			t.Errorf("token-refresh needs a timer every 5 minutes: %+v", tm)
		}
	}
}

// TestDeployDefaultsOptionalSettings: optional variables of issue 11 get
// their default in deploy.sh, since the CLI deploys an unset ${env:X} as
// "undefined".
func TestDeployDefaultsOptionalSettings(t *testing.T) {
	b, err := os.ReadFile("deploy.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := load(t, "../serverless.yml")
	for _, v := range []string{"FREQUENCY_CAP", "OPT_OUT_WORDS"} {
		if !regexp.MustCompile(`(?m)^export ` + v + `="\$\{` + v + `:-[^}]+\}"$`).Match(b) {
			t.Errorf("deploy.sh gives %s no default", v)
		}
		fns := []string{"send-sms"}
		if v == "OPT_OUT_WORDS" {
			fns = append(fns, "get-scheme") // the reply callback classifies replies there
		}
		for _, fn := range fns {
			found := false
			for _, e := range m.Inputs.Functions[fn].Environments {
				found = found || e.Key == v && e.Value == "${env:"+v+"}"
			}
			if !found {
				t.Errorf("serverless.yml does not pass %s to %s", v, fn)
			}
		}
	}
}

// TestDeployPassesFallbackPath: FALLBACK_PATH and the optional service
// account (WECHAT_OA_APPID, WECHAT_OA_SECRET) reach get-scheme, and
// deploy.sh sets it (to empty when unset) so that the CLI does not deploy
// the text "undefined".
func TestDeployPassesFallbackPath(t *testing.T) {
	// That deploy.sh gives it a value (empty) is proven by rendering what
	// the real deploy.sh hands the CLI: TestDeployWithTheREADMEVariables and
	// TestDeployFailsWhenAnOptionalVariableIsDropped.
	envs := load(t, "../serverless.yml").Inputs.Functions["get-scheme"].Environments
	for _, v := range []string{"FALLBACK_PATH", "WECHAT_OA_APPID", "WECHAT_OA_SECRET"} {
		found := false
		for _, e := range envs {
			found = found || e.Key == v && e.Value == "${env:"+v+"}"
		}
		if !found {
			t.Errorf("serverless.yml does not pass %s to get-scheme", v)
		}
	}
}

func TestStaticSiteYAML(t *testing.T) {
	m := load(t, "../static/serverless.yml")
	if m.Component != "website" || m.Inputs.Src.Src != "../dist/static" || m.Inputs.Src.Index != "index.html" {
		t.Fatalf("static/serverless.yml: component %q src %+v", m.Component, m.Inputs.Src)
	}
}

// TestBuildScriptZip runs build.sh and checks the zip SCF gets: one linux/amd64
// executable per function, at the zip root, named after the function.
func TestBuildScriptZip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every function")
	}
	cmd := exec.Command("./build.sh", "--functions-only")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.sh: %v\n%s", err, out)
	}
	zr, err := zip.OpenReader("../dist/smsjump.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Mode()&0o111 == 0 {
			t.Errorf("%s is not executable in the zip", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		ef, err := elf.NewFile(readerAt(t, rc))
		if err != nil {
			t.Fatalf("%s: not an ELF binary: %v", f.Name, err)
		}
		if ef.Machine != elf.EM_X86_64 || ef.OSABI != elf.ELFOSABI_NONE {
			t.Errorf("%s: machine %v, want linux amd64", f.Name, ef.Machine)
		}
	}
	slices.Sort(names)
	if have := existingFunctions(t); !slices.Equal(names, have) {
		t.Fatalf("zip holds %v, want %v", names, have)
	}
}

func readerAt(t *testing.T, r io.ReadCloser) io.ReaderAt {
	t.Helper()
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

// readConfigSource returns the text of shared/config, where every variable
// name a function reads is spelled out.
func readConfigSource(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../shared/config/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(src)
	}
	return b.String()
}
