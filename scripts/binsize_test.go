package scripts

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The linker drops unused methods only while nothing in the binary looks a
// method up by a name known at run time; one such package anywhere keeps
// every exported method of every type and doubles a function's size
// (docs/BENCHMARKS.md, issue 12). These are the ones that got in before.
var methodLookup = map[string]string{
	"net/rpc":       "serve the Go1 runtime with shared/scf/serve, not scf-go-lib's cloudfunction.Start",
	"text/template": "write the text directly (see shared/report/page.go)",
	"html/template": "write the HTML directly (see shared/report/page.go)",
	"github.com/tencentyun/scf-go-lib/cloudfunction": "use shared/scf/serve",
}

func TestFunctionsKeepMethodsDeadCode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Version}}{{end}}", "../functions/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, version, _ := strings.Cut(line, " ")
		if fix, bad := methodLookup[pkg]; bad {
			t.Errorf("a function links %s: %s", pkg, fix)
		}
		// protobuf before v1.36.12 calls MethodByName("Methods"), which
		// under Go 1.26 keeps reflect's Methods iterators (golang/protobuf#1704).
		if strings.HasPrefix(pkg, "google.golang.org/protobuf/") && olderThan(version, 1, 36, 12) {
			t.Errorf("%s is protobuf %s: need v1.36.12 or later", pkg, version)
		}
	}
}

// Packages some functions must not link, by import path prefix, with the
// way to keep them out (docs/BENCHMARKS.md, issue 12, §4).
var heavyDeps = []struct {
	prefix    string
	functions []string
	fix       string
}{
	{"github.com/nyaruka/phonenumbers", []string{"get-scheme", "token-refresh"}, libphonenumberFix},
	{"google.golang.org/protobuf/", []string{"get-scheme", "token-refresh"}, libphonenumberFix},
	{"golang.org/x/text/language/display", []string{"get-scheme", "token-refresh"}, libphonenumberFix},
	{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/sms/", allFunctions, smsSDKFix},
	{"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http", allFunctions, smsSDKFix},
	{"encoding/gob", allFunctions, "the Go1 runtime protocol goes through shared/scf/serve's own gob reader and writer " +
		"(gob.go, held to encoding/gob by its fuzz targets); encoding/gob is about 0.24 MB of each function"},
}

var allFunctions = []string{"get-scheme", "send-sms", "token-refresh"}

const smsSDKFix = "call the SMS API through shared/sms's own signed path (Tencent.call with request and reply " +
	"types mirroring the SDK's, held to it by TestActionsMatchSDK and FuzzActionRepliesMatchSDK); the SDK " +
	"client is for tests and the sandbox only (0.42 MB of send-sms)"

const libphonenumberFix = "normalise with phone.Mainland (no dependencies); phone/numplan " +
	"(libphonenumber, which brings protobuf and x/text's display tables, about 4 MB) is for " +
	"send-sms's CSV reports only: keep it out of packages get-scheme links (e.g. optout, campaign)"

func TestFunctionsLeaveHeavyDepsOut(t *testing.T) {
	deps := map[string][]string{}
	for _, d := range heavyDeps {
		for _, fn := range d.functions {
			if deps[fn] != nil {
				continue
			}
			out, err := exec.Command("go", "list", "-deps", "../functions/"+fn).Output()
			if err != nil {
				t.Fatalf("go list %s: %v", fn, err)
			}
			deps[fn] = strings.Fields(string(out))
		}
	}
	for _, d := range heavyDeps {
		for _, fn := range d.functions {
			for _, pkg := range deps[fn] {
				if strings.HasPrefix(pkg, d.prefix) {
					t.Errorf("%s links %s: %s", fn, pkg, d.fix)
					break
				}
			}
		}
	}
}

// olderThan compares a vMAJOR.MINOR.PATCH version.
func olderThan(v string, major, minor, patch int) bool {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	if len(parts) != 3 {
		return false
	}
	var n [3]int
	for i, p := range parts {
		p, _, _ = strings.Cut(p, "-")
		n[i], _ = strconv.Atoi(p)
	}
	want := [3]int{major, minor, patch}
	for i := range n {
		if n[i] != want[i] {
			return n[i] < want[i]
		}
	}
	return false
}

// heavyForFunctions are packages a function could reach for but must not
// link, with what to use instead.
var heavyForFunctions = map[string]string{
	// About 2 MB of each function (docs/BENCHMARKS.md, issue 12 §4).
	"github.com/aws/aws-sdk-go-v2/service/s3":         "use shared/cos.Client (SigV4 over net/http); the full client is for tools, in shared/cos/sdkclient",
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager": "use shared/cos.Client.Upload",
}

func TestFunctionsDoNotLinkTheS3Client(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../functions/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		for heavy, fix := range heavyForFunctions {
			if pkg == heavy || strings.HasPrefix(pkg, heavy+"/") {
				t.Errorf("a function links %s: %s", pkg, fix)
			}
		}
	}
}
