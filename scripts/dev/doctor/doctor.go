// Package doctor checks, read-only, that an account is ready for a deploy:
// WeChat credentials, the SMS application, signature and templates, the
// COS bucket, the store, the page and its Function URL. It prints one line
// per check, ✔ or ✘, and each ✘ names the console step that fixes it.
// The same checks run against the sandboxes and (--live) the real APIs:
// only the endpoints and credentials differ.
package doctor

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/smsjump/smsjump/shared/tccred"
)

// Groups of checks, in the order they run (--checks picks some).
var Groups = []string{"wechat", "sms", "cos", "store", "page"}

// Settings are the deploy variables the checks read, and where to reach
// the APIs.
type Settings struct {
	// Live means the real platform: plain-HTTP pages and local stores,
	// fine in the sandbox, are failures there.
	Live bool

	WeChatAppID, WeChatSecret, WeChatAPIBase string
	// QuotaProbeScheme (QUOTA_PROBE_SCHEME) lets the quota check ask
	// queryscheme for today's remaining opens.
	QuotaProbeScheme string

	SMSSdkAppID, SMSSignName, SMSTemplateID, SMSTemplateText string
	SMSRegion, SMSEndpoint                                   string
	// TencentCredentials sign SMS calls; COSCredentials sign COS calls.
	TencentCredentials func() (tccred.Credentials, error)
	COSCredentials     aws.CredentialsProvider

	Bucket, COSRegion, COSEndpoint string
	COSPathStyle                   bool
	// Manifests: also check the templates of uploads/*.json in the bucket.
	Manifests bool

	StoreURL string

	// LinkBaseURL is the page; APIURL its get-scheme Function URL
	// (SMSJUMP_API_URL).
	LinkBaseURL, APIURL string

	// HTTP fetches the page and the Function URL; default a client with a
	// 10 s timeout that does not follow redirects.
	HTTP *http.Client
	// Now is the clock of time-windowed calls; default time.Now.
	Now func() time.Time
}

// Mark is a check's outcome.
type Mark string

const (
	OK   Mark = "✔"
	Fail Mark = "✘"
	// Warn is something the check could not prove from here (a Redis inside
	// a VPC) or that is worth knowing; it does not fail the run.
	Warn Mark = "⚠"
	Skip Mark = "–"
)

// Result is one printed line.
type Result struct {
	Group string
	Mark  Mark
	What  string
	// Fix is the console step that turns a ✘ into a ✔.
	Fix string
}

// Run runs the groups asked for (all when empty), prints a line per
// result to w and returns the results; a run failed when any is Fail.
func Run(ctx context.Context, s Settings, groups []string, w io.Writer) []Result {
	if s.HTTP == nil {
		s.HTTP = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if len(groups) == 0 {
		groups = Groups
	}
	run := map[string]func(context.Context, Settings) []Result{
		"wechat": checkWeChat, "sms": checkSMS, "cos": checkCOS, "store": checkStore, "page": checkPage,
	}
	var all []Result
	for _, g := range Groups {
		if !slices.Contains(groups, g) {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		rs := run[g](cctx, s)
		cancel()
		for _, r := range rs {
			r.Group = g
			fmt.Fprintf(w, "%s %-6s %s\n", r.Mark, g, r.What)
			if r.Fix != "" && r.Mark != OK {
				fmt.Fprintf(w, "         → %s\n", r.Fix)
			}
			all = append(all, r)
		}
	}
	return all
}

// Failed reports whether any result is a ✘.
func Failed(rs []Result) bool {
	return slices.ContainsFunc(rs, func(r Result) bool { return r.Mark == Fail })
}

// ParseGroups reads --checks.
func ParseGroups(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []string
	for _, g := range strings.Split(v, ",") {
		g = strings.TrimSpace(g)
		if !slices.Contains(Groups, g) {
			return nil, fmt.Errorf("unknown check %q: use %s", g, strings.Join(Groups, ","))
		}
		out = append(out, g)
	}
	return out, nil
}

func ok(format string, args ...any) Result {
	return Result{Mark: OK, What: fmt.Sprintf(format, args...)}
}

func fail(fix, format string, args ...any) Result {
	return Result{Mark: Fail, What: fmt.Sprintf(format, args...), Fix: fix}
}

func warn(fix, format string, args ...any) Result {
	return Result{Mark: Warn, What: fmt.Sprintf(format, args...), Fix: fix}
}

func skip(format string, args ...any) Result {
	return Result{Mark: Skip, What: fmt.Sprintf(format, args...)}
}
