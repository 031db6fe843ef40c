package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/cos/costest"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/scf/host/hosttest"
	"github.com/smsjump/smsjump/shared/send"
)

const (
	appID      = "1400000001"
	signName   = "小程序助手"
	tplID      = "1001"
	tplText    = "您好{1}，活动已开始，点击 https://h5.example.cn/?c=spring 进入"
	cosName    = "smsjump"
	cosAppID   = "1250000000"
	fileSecret = "e2eSecretKey0001"
	fileID     = "AKIDe2eTest0001"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// TestMain removes the built binary after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds the send-sms function once per test binary.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the function binary")
	}
	buildOnce.Do(func() {
		// A/B benchmark runs point at a binary built elsewhere (an older
		// commit) so that the same harness and sandbox measure both.
		if prebuilt := os.Getenv("SMSJUMP_BENCH_BINARY"); prebuilt != "" {
			binPath, buildErr = filepath.Abs(prebuilt)
			return
		}
		dir, err := os.MkdirTemp("", "send-sms-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "send-sms")
		buildErr = host.Build(context.Background(), ".", binPath)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// harness runs the built function in a runtime host against the sandbox SMS
// API, a bolt store and either the S3 test server (COS code paths) or a
// local directory.
type harness struct {
	t          testing.TB
	srv        *smsapi.Server
	bucket     *blob.Bucket
	pool       *host.Pool
	prefix     string // key prefix inside the COS bucket; "" for file://
	bucketName string
}

type harnessConfig struct {
	noKeep  bool // the sandbox keeps counters only (load runs)
	timeout time.Duration
	faults  smsapi.Faults
	env     map[string]string
}

func newHarness(t testing.TB, s harnessConfig) *harness {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	h := &harness{t: t}
	env := map[string]string{
		"STORE_URL":          "bolt://" + filepath.Join(dir, "state.db"),
		"SMS_SDK_APP_ID":     appID,
		"SMS_SIGN_NAME":      signName,
		"SMS_TEMPLATE_ID":    tplID,
		"SMS_TEMPLATE_TEXT":  tplText,
		"SMS_QPS":            "3000",
		"LINK_BASE_URL":      "https://h5.example.cn/",
		"SEND_SAFETY_MARGIN": "1s",
		"SEND_LEASE_TTL":     "2s",
	}
	id, secret := fileID, fileSecret
	ctx := context.Background()
	if os.Getenv(costest.EnvEndpoint) != "" || os.Getenv(costest.EnvRequire) == "1" {
		srv := costest.Lookup(t)
		cfg := costest.Config(t)
		h.prefix = costest.Prefix(t, cfg)
		id, secret = srv.Access, srv.Secret
		h.bucketName = srv.Bucket
		env["BUCKET"] = srv.Bucket
		env["COS_REGION"] = srv.Region
		env["COS_ENDPOINT"] = srv.Endpoint
		env["COS_PATH_STYLE"] = "true"
		env["SEND_BUCKET_URL"] = "cos://" + srv.Bucket + "/" + h.prefix + "?region=" + srv.Region
		b, err := blob.Open(ctx, env["SEND_BUCKET_URL"], blob.WithCOSEndpoint(srv.Endpoint, true),
			blob.WithCOSCredentials(aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(id, secret, ""))))
		if err != nil {
			t.Fatal(err)
		}
		h.bucket = b
	} else {
		bdir := filepath.Join(dir, "bucket")
		env["SEND_BUCKET_URL"] = "file://" + bdir
		b, err := blob.Open(ctx, env["SEND_BUCKET_URL"])
		if err != nil {
			t.Fatal(err)
		}
		h.bucket = b
		h.bucketName = cosName + "-" + cosAppID
	}
	env["TENCENTCLOUD_SECRETID"], env["TENCENTCLOUD_SECRETKEY"] = id, secret
	srv, err := smsapi.Start(smsapi.Options{
		Credentials:         map[string]smsapi.Credential{id: {SecretKey: secret}},
		SdkAppIDs:           []string{appID},
		SignNames:           []string{signName},
		Templates:           map[string]smsapi.Template{tplID: {Text: tplText}},
		SameContentInterval: -1, DailyLimit: -1, QPS: 3000, KeepMessages: !s.noKeep,
		Faults: s.faults,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	h.srv = srv
	env["SMS_ENDPOINT"] = srv.URL()
	for k, v := range s.env {
		env[k] = v
	}
	if s.timeout == 0 {
		s.timeout = 60 * time.Second
	}
	pool, err := host.NewPool(host.Config{Name: "send-sms", Binary: bin, Env: env, Timeout: s.timeout,
		MaxInstances: 4, Stdout: logSink(t), Stderr: logSink(t), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	h.pool = pool
	return h
}

// logSink forwards the function's output to the test log only when asked.
func logSink(t testing.TB) io.Writer {
	if path := os.Getenv("SMSJUMP_BENCH_LOG"); path != "" {
		// Load runs log too much for the test log, which truncates it.
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	if os.Getenv("SEND_TEST_LOGS") == "" {
		return nil
	}
	return hosttest.Writer(t)
}

func (h *harness) put(key string, data []byte) {
	h.t.Helper()
	if err := h.bucket.WriteAll(context.Background(), key, data, blob.WriterOptions{}); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) putManifest(name string, m map[string]any) {
	h.t.Helper()
	b, _ := json.Marshal(m)
	h.put("uploads/"+name+".json", b)
}

// cosEvent is a COS trigger event as SCF delivers it, with one record per
// key (merged records), in the documented shape.
func (h *harness) cosEvent(keys ...string) []byte {
	var recs []string
	for _, k := range keys {
		full := h.prefix + k
		recs = append(recs, fmt.Sprintf(`{"cos":{"cosSchemaVersion":"1.0","cosObject":{"url":"http://%s-%s.cos.ap-guangzhou.myqcloud.com/%s","meta":{"x-cos-request-id":"NWQ1","Content-Type":""},"vid":"","key":"/%s/%s/%s","size":100},"cosBucket":{"region":"gz","name":"%s","appid":"%s"},"cosNotificationId":"unkown"},"event":{"eventName":"cos:ObjectCreated:Put","eventVersion":"1.0","eventTime":%d,"eventSource":"qcs::cos","requestParameters":{"requestSourceIP":"192.168.15.101","requestHeaders":{}},"eventQueue":"qcs:0:scf:gz:appid/1250000000:default.send-sms.$DEFAULT","reservedInfo":"","reqid":179398952}}`,
			h.cosBucketName(), cosAppID, full, cosAppID, h.cosBucketName(), full, h.cosBucketName(), cosAppID, time.Now().Unix()))
	}
	return []byte(`{"Records":[` + strings.Join(recs, ",") + `]}`)
}

// cosBucketName is the bucket name without the appid.
func (h *harness) cosBucketName() string {
	return strings.TrimSuffix(h.bucketName, "-"+cosAppID)
}

const timerEvent = `{"Type":"Timer","TriggerName":"send-sms-resume","Time":"2026-03-02T02:00:00Z","Message":""}`

func (h *harness) invoke(payload []byte) (send.Reply, error) {
	out, err := h.pool.Invoke(context.Background(), payload, host.InvokeOptions{})
	var r send.Reply
	if err == nil {
		if jerr := json.Unmarshal(out, &r); jerr != nil {
			h.t.Fatalf("reply %s: %v", out, jerr)
		}
	}
	return r, err
}

func (h *harness) results(name string) []send.Result {
	h.t.Helper()
	l, err := send.ReadLatest(context.Background(), h.bucket, name)
	if err != nil {
		h.t.Fatal(err)
	}
	r, err := h.bucket.NewReader(context.Background(), l.Result)
	if err != nil {
		h.t.Fatal(err)
	}
	defer r.Close()
	var out []send.Result
	if err := send.ReadResults(r, func(res send.Result) error { out = append(out, res); return nil }); err != nil {
		h.t.Fatal(err)
	}
	return out
}

func (h *harness) summary(name string) send.Summary {
	h.t.Helper()
	data, err := h.bucket.ReadAll(context.Background(), "reports/"+name+"/summary.json")
	if err != nil {
		h.t.Fatal(err)
	}
	var s send.Summary
	if err := json.Unmarshal(data, &s); err != nil {
		h.t.Fatal(err)
	}
	if s.Rows != s.Sent+s.Rejected+s.Failed+s.Unknown+s.NotSent {
		h.t.Errorf("summary does not add up: %+v", s)
	}
	return s
}

// checkOnce: sent rows got one message (two only if flagged in flight at a
// crash), rows never sent got none, unknown rows at most one.
func (h *harness) checkOnce(rows []send.Result) {
	h.t.Helper()
	counts := h.srv.Counts()
	total := 0
	for _, r := range rows {
		got := counts[r.Phone]
		switch {
		case r.State == send.StateSent && got == 1:
		case r.State == send.StateSent && got == 2 && r.InFlightAtCrash:
		case r.State == send.StateUnknown && got <= 1:
		case r.State != send.StateSent && r.State != send.StateUnknown && (got == 0 || r.Reason == "duplicate"):
			continue
		default:
			h.t.Fatalf("row %d %s/%s (in flight %v) got %d messages", r.Row, r.State, r.Reason, r.InFlightAtCrash, got)
		}
		total += got
	}
	if total != h.srv.Count() {
		h.t.Fatalf("the outbox holds %d messages, the rows account for %d", h.srv.Count(), total)
	}
}

var noticeManifest = map[string]any{
	"campaign_id": "spring", "sms_type": "notification",
	"target": map[string]any{"path": "pages/index/index"},
	"params": []any{map[string]any{"column": "name"}},
}

// plainCSV has n valid distinct numbers with distinct names (one per call).
func plainCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("phone,name\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "139%08d,用户%d\n", i, i)
	}
	return b.Bytes()
}

// killOnceSent invokes ev in the background, SIGKILLs the function process
// once the sandbox has accepted sent messages, and requires that the killed
// invocation failed.
func (h *harness) killOnceSent(ev []byte, sent int) {
	h.t.Helper()
	done := make(chan error, 1)
	go func() { _, err := h.invoke(ev); done <- err }()
	deadline := time.Now().Add(20 * time.Second)
	for h.srv.Count() < sent {
		if time.Now().After(deadline) {
			h.t.Fatal("sending did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	pids := functionPIDs(binary(h.t))
	if len(pids) != 1 {
		h.t.Fatalf("function processes: %v", pids)
	}
	if err := syscall.Kill(pids[0], syscall.SIGKILL); err != nil {
		h.t.Fatal(err)
	}
	if err := <-done; err == nil {
		h.t.Fatal("the killed invocation succeeded")
	}
}

// invokeUntilDone invokes ev as SCF's retries and the resume timer would,
// up to 20 times 300 ms apart, until the job is done; it returns the last
// reply for the caller to judge.
func (h *harness) invokeUntilDone(ev []byte) send.Reply {
	h.t.Helper()
	var reply send.Reply
	for range 20 {
		var err error
		if reply, err = h.invoke(ev); err != nil {
			h.t.Fatal(err)
		}
		if reply.Jobs[0].Status == send.StatusDone {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	return reply
}
