package send

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/tccred"
)

const (
	testSecretID  = "AKIDsendTest0001"
	testSecretKey = "sendTestSecretKey0001"
	testApp       = "1400000001"
	testSign      = "小程序助手"
	tplNotice     = "1001" // 您好{1}，活动已开始…
	tplMarket     = "1002"
	tplNoParam    = "1004"
	tplPersonal   = "1005"
	tplBare       = "1006" // marketing, no parameters, campaign "bare"
)

var templates = map[string]smsapi.Template{
	tplNotice:   {Text: "您好{1}，活动已开始，点击 https://h5.example.cn/?c=spring 进入"},
	tplMarket:   {Text: "{1}春季大促开始啦，进入小程序领券 https://h5.example.cn/?c=spring 拒收请回复R", Type: smsapi.Marketing},
	tplNoParam:  {Text: "活动已开始，点击 https://h5.example.cn/?c=spring 进入"},
	tplPersonal: {Text: "活动已开始，点击 https://h5.example.cn/?c=spring&k={1} 进入"},
	tplBare:     {Text: "春季大促开始啦，进入小程序领券 https://h5.example.cn/?c=bare 拒收请回复R", Type: smsapi.Marketing},
}

// sandboxOptions are the sandbox's account: frequency limits off, because
// tests send to the same numbers again on purpose and count the outbox.
func sandboxOptions() smsapi.Options {
	return smsapi.Options{
		Credentials:         map[string]smsapi.Credential{testSecretID: {SecretKey: testSecretKey}},
		SdkAppIDs:           []string{testApp},
		SignNames:           []string{testSign},
		Templates:           templates,
		SameContentInterval: -1,
		DailyLimit:          -1,
		KeepMessages:        true,
		QPS:                 -1,
		// Business hours inside the marketing window whatever the real time.
		Now: func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC).Add(time.Since(testStart)) },
	}
}

var testStart = time.Now()

type env struct {
	t      testing.TB
	srv    *smsapi.Server
	bucket *blob.Bucket
	dir    string
	st     store.Store
	svc    *Service
	opts   Options
}

func newEnv(t testing.TB, mutate func(*Options), sandbox func(*smsapi.Options)) *env {
	t.Helper()
	so := sandboxOptions()
	if sandbox != nil {
		sandbox(&so)
	}
	srv, err := smsapi.Start(so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	b, err := blob.Open(context.Background(), "file://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	// Without injected timeouts, a call that times out is the machine's
	// load (up to 256 workers' calls queue on two busy cores), and its rows
	// become unknown where the test expects them sent: the timeout is
	// generous. With them, the client gives up first.
	timeout := 30 * time.Second
	if so.Faults.TimeoutRate > 0 {
		timeout = 300 * time.Millisecond // the client gives up first
	}
	sender, err := sms.NewTencent(sms.TencentConfig{
		Endpoint: srv.URL(), Timeout: timeout,
		Credentials: func() (tccred.Credentials, error) {
			return tccred.Credentials{SecretID: testSecretID, SecretKey: testSecretKey}, nil
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	o := Options{
		Bucket: b, Store: st, Sender: sender,
		Links: Registry(link.NewRegistry(st, nil, link.Options{}), nil),
		Defaults: campaign.Defaults{SDKAppID: testApp, SignName: testSign, TemplateID: tplNotice,
			TemplateText: templates[tplNotice].Text, LinkBaseURL: "https://h5.example.cn/", QPS: 3000},
		QPS: 3000, RetryBase: 5 * time.Millisecond, CheckpointEvery: 100 * time.Millisecond,
		Logger: testLogger(t),
	}
	if mutate != nil {
		mutate(&o)
	}
	svc, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, srv: srv, bucket: b, dir: dir, st: st, svc: svc, opts: o}
}

// testLogger shows job logs only with -v, to keep failures readable.
func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() && os.Getenv("SEND_TEST_LOGS") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.DiscardHandler)
}

func (e *env) put(key string, data []byte) {
	e.t.Helper()
	if err := e.bucket.WriteAll(context.Background(), key, data, blob.WriterOptions{}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) putManifest(name string, m map[string]any) {
	e.t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		e.t.Fatal(err)
	}
	e.put("uploads/"+name+".json", b)
}

func (e *env) run(ctx context.Context, name string) Outcome {
	e.t.Helper()
	out, err := e.svc.Run(ctx, Upload{Key: "uploads/" + name + ".csv"})
	if err != nil {
		e.t.Fatalf("Run %s: %v", name, err)
	}
	return out
}

// results reads result.csv through ReadResults, which checks its framing:
// BOM, header, one line per row in order.
func (e *env) results(name string) []Result {
	e.t.Helper()
	l, err := ReadLatest(context.Background(), e.bucket, name)
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := e.bucket.NewReader(context.Background(), l.Result)
	if err != nil {
		e.t.Fatal(err)
	}
	defer r.Close()
	var out []Result
	if err := ReadResults(r, func(res Result) error { out = append(out, res); return nil }); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) summary(name string) Summary {
	e.t.Helper()
	data, err := e.bucket.ReadAll(context.Background(), "reports/"+name+"/summary.json")
	if err != nil {
		e.t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		e.t.Fatal(err)
	}
	if s.Rows != s.Sent+s.Rejected+s.Failed+s.Unknown+s.NotSent {
		e.t.Errorf("summary does not add up: %+v", s)
	}
	return s
}

// phoneN is the n-th valid mainland mobile number of a test.
func phoneN(n int) string { return fmt.Sprintf("139%08d", n) }

func e164(n int) string { return "+86" + phoneN(n) }

// countOutbox is how many messages each phone got.
func (e *env) countOutbox() map[string]int { return e.srv.Counts() }
