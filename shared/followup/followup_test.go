package followup_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/followup"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/report"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/tccred"
)

const (
	secretID, secretKey = "AKIDfollowTest01", "followTestSecretKey01"
	app, sign, tpl      = "1400000001", "小程序助手", "1005"
	tplText             = "活动已开始，点击 https://h5.example.cn/?c=spring&k={1} 进入"
)

// clock is a settable time shared by the sandbox, the job and the follow-up.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type world struct {
	t      *testing.T
	clk    *clock
	sb     *smsapi.Server
	sender *sms.Tencent
	bucket *blob.Bucket
	st     store.Store
	svc    *send.Service
	reg    *link.Registry
	push   *httptest.Server
}

// newWorld: a sandbox SMS API that reports 60 % delivered, 25 % failed and
// 15 % never, both by pull and by push; the push lands in get-scheme's
// callback handler, which writes the bucket's inbox.
func newWorld(t *testing.T) *world {
	w := &world{t: t, clk: &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)}}
	var err error
	w.sb, err = smsapi.Start(smsapi.Options{
		Credentials: map[string]smsapi.Credential{secretID: {SecretKey: secretKey}},
		SdkAppIDs:   []string{app}, SignNames: []string{sign},
		Templates:           map[string]smsapi.Template{tpl: {Text: tplText}},
		SameContentInterval: -1, DailyLimit: -1, QPS: -1, Now: w.clk.now, KeepMessages: true,
		Receipts: smsapi.ReceiptPolicy{Delivered: 0.6, Failed: 0.25},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.sb.Close() })
	if w.bucket, err = blob.Open(t.Context(), "file://"+t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if w.st, err = store.Open(t.Context(), "mem://"); err != nil {
		t.Fatal(err)
	}
	w.sender, err = sms.NewTencent(sms.TencentConfig{Endpoint: w.sb.URL(), Timeout: 5 * time.Second,
		Credentials: func() (tccred.Credentials, error) {
			return tccred.Credentials{SecretID: secretID, SecretKey: secretKey}, nil
		}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	w.reg = link.NewRegistry(w.st, nil, link.Options{})
	w.svc, err = send.New(send.Options{
		Bucket: w.bucket, Store: w.st, Sender: w.sender, Links: send.Registry(w.reg, nil),
		Defaults: campaign.Defaults{SDKAppID: app, SignName: sign, TemplateID: tpl, TemplateText: tplText,
			LinkBaseURL: "https://h5.example.cn/", QPS: 3000},
		QPS: 3000, Now: w.clk.now, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	w.push = httptest.NewServer(&receipt.PushHandler{Inbox: receipt.NewInbox(w.bucket, w.clk.now), Log: slog.New(slog.DiscardHandler)})
	t.Cleanup(w.push.Close)
	w.sb.SetStatusCallback(w.push.URL)
	return w
}

// sendCampaign runs a personal-link job of n valid rows and 2 invalid ones.
func (w *world) sendCampaign(n int) {
	var b strings.Builder
	b.WriteString("phone\n")
	for i := range n {
		fmt.Fprintf(&b, "139%08d\n", i+1)
	}
	b.WriteString("12345\nnot a phone\n")
	must(w.t, w.bucket.WriteAll(w.t.Context(), "uploads/spring.csv", []byte(b.String()), blob.WriterOptions{}))
	m, _ := json.Marshal(map[string]any{"campaign_id": "spring", "sms_type": "notification", "template_id": tpl,
		"template_text": tplText, "link_mode": "personal", "target": map[string]any{"path": "pages/index/index"},
		"params": []any{map[string]any{"link": true}}})
	must(w.t, w.bucket.WriteAll(w.t.Context(), "uploads/spring.json", m, blob.WriterOptions{}))
	out, err := w.svc.Run(w.t.Context(), send.Upload{Key: "uploads/spring.csv"})
	if err != nil || out.Status != send.StatusDone {
		w.t.Fatalf("send: %+v %v", out, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) followup(pull bool) *followup.Followup {
	o := followup.Options{Window: 72 * time.Hour, UnknownGrace: time.Hour, Refresh: time.Minute,
		CodeRow: followup.CodeRows(w.reg), Now: w.clk.now, Logger: slog.New(slog.DiscardHandler)}
	if pull {
		o.Puller, o.SdkAppID = w.sender, app
	}
	return followup.New(o)
}

func (w *world) tick(f *followup.Followup) followup.Stats {
	w.t.Helper()
	st, err := f.Tick(w.t.Context(), w.bucket, w.st, nil)
	if err != nil {
		w.t.Fatalf("Tick: %v", err)
	}
	return st
}

func (w *world) funnel() report.Funnel {
	w.t.Helper()
	l, err := send.ReadLatest(w.t.Context(), w.bucket, "spring")
	must(w.t, err)
	var fn report.Funnel
	data, err := w.bucket.ReadAll(w.t.Context(), l.Report+followup.FunnelFile)
	must(w.t, err)
	must(w.t, json.Unmarshal(data, &fn))
	return fn
}

func (w *world) delivery() [][]string {
	w.t.Helper()
	l, err := send.ReadLatest(w.t.Context(), w.bucket, "spring")
	must(w.t, err)
	data, err := w.bucket.ReadAll(w.t.Context(), l.Report+followup.DeliveryFile)
	must(w.t, err)
	if !bytes.HasPrefix(data, []byte(excelcsv.BOM)) {
		w.t.Fatal("delivery.csv has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[len(excelcsv.BOM):])).ReadAll()
	must(w.t, err)
	return recs
}

// waitPushes waits until every reported receipt has been pushed into the inbox.
func (w *world) waitPushes(want int) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := 0
		for a, err := range w.bucket.List(w.t.Context(), receipt.InboxPrefix) {
			must(w.t, err)
			b, err := w.bucket.ReadAll(w.t.Context(), a.Key)
			must(w.t, err)
			n += bytes.Count(b, []byte("\n"))
		}
		if n >= want {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	w.t.Fatalf("the status callback did not deliver %d receipts", want)
}

// TestBothWaysDuplicatesLateUnknown: a real job, receipts by push and by
// pull (the same receipts twice: the second copies are duplicates), opens
// of personal codes on their rows, a late receipt after the window and an
// unknown one; the numbers add up at every step.
func TestBothWaysDuplicatesLateUnknown(t *testing.T) {
	w := newWorld(t)
	const n = 40
	w.sendCampaign(n)
	reported := w.sb.PendingStatuses(app)
	if reported < n/2 || reported == n {
		t.Fatalf("sandbox reported %d of %d; the policy should leave some unreported", reported, n)
	}
	w.waitPushes(reported)

	// Two recipients open their personal links; one jumps.
	rec, err := funnel.NewRecorder(w.st)
	must(t, err)
	codes := map[int]string{}
	if len(w.sb.Messages()) != n {
		t.Fatalf("%d messages", len(w.sb.Messages()))
	}
	for _, m := range w.sb.Messages() {
		c, err := w.reg.Resolve(t.Context(), m.Params[0])
		must(t, err)
		row, ok := followup.RowOfCQ(c.CQ)
		if !ok {
			t.Fatalf("code cq %q has no row", c.CQ)
		}
		codes[row] = m.Params[0]
	}
	for _, h := range []funnel.Hit{
		{Campaign: "spring", Code: codes[3], Event: funnel.Opened, Platform: funnel.IOS, At: w.clk.now()},
		{Campaign: "spring", Code: codes[3], Event: funnel.Jump, Platform: funnel.IOS, At: w.clk.now()},
		{Campaign: "spring", Code: codes[7], Event: funnel.Opened, Platform: funnel.Android, At: w.clk.now()},
		{Campaign: "spring", Code: codes[7], Event: funnel.Opened, Platform: funnel.Android, At: w.clk.now()},
		{Campaign: "spring", Row: 3, Event: funnel.Arrived, Platform: funnel.WeChat, At: w.clk.now()},
	} {
		must(t, rec.Record(t.Context(), h))
	}

	// Push first: every reported receipt matched once.
	st := w.tick(w.followup(false))
	if st.Matched != reported || st.Duplicates != 0 || st.Unknown != 0 || st.Waiting != 0 {
		t.Fatalf("push tick: %+v, want %d matched", st, reported)
	}
	fn := w.funnel()
	if fn.Sent != n || fn.Rows != n+2 || fn.Delivered+fn.DeliveryFailed+fn.NotReported != fn.Sent ||
		fn.Delivered+fn.DeliveryFailed != reported || fn.NotReported == 0 || fn.DeliveryFailed == 0 {
		t.Fatalf("funnel does not add up: %+v", fn)
	}
	if fn.Opened != 3 || fn.Jumped != 1 || fn.Opened < fn.Jumped || fn.PersonalOpened != 2 || fn.Arrived != 1 {
		t.Fatalf("opens %d jumps %d personal %d; want 3, 1, 2", fn.Opened, fn.Jumped, fn.PersonalOpened)
	}

	// Pull brings the same receipts again: all duplicates, numbers unchanged.
	w.clk.add(2 * time.Minute)
	st = w.tick(w.followup(true))
	if st.Pulled != reported || st.Duplicates != reported || st.Matched != 0 {
		t.Fatalf("pull tick: %+v, want %d pulled, all duplicates", st, reported)
	}
	again := w.funnel()
	if again.Delivered != fn.Delivered || again.DeliveryFailed != fn.DeliveryFailed || again.Receipts.Duplicates != reported {
		t.Fatalf("duplicates changed the numbers: %+v then %+v", fn.Receipts, again.Receipts)
	}

	// delivery.csv: one line per row; row 3 opened and jumped; rejected
	// rows have no delivery state; sent rows one of the three.
	recs := w.delivery()
	if len(recs) != n+3 || strings.Join(recs[0], ",") != "row,phone,state,reason,code,serial_no,delivery,delivery_code,delivered_at,opened,jumped,arrived" {
		t.Fatalf("delivery.csv: %d lines, header %v", len(recs), recs[0])
	}
	counts := map[string]int{}
	for _, r := range recs[1:] {
		counts[r[6]]++
		if r[2] == send.StateSent && r[6] == "" {
			t.Errorf("sent row %s has no delivery state", r[0])
		}
		if r[6] == followup.DeliveryDelivered && r[8] == "" {
			t.Errorf("delivered row %s has no time", r[0])
		}
	}
	if counts[followup.DeliveryDelivered] != fn.Delivered || counts[followup.DeliveryFailed] != fn.DeliveryFailed ||
		counts[followup.DeliveryNotReported] != fn.NotReported || counts[""] != 2 {
		t.Errorf("delivery.csv states %v disagree with the funnel %+v", counts, fn)
	}
	if r := recs[3]; r[9] != "1" || r[10] != "1" || r[11] != "1" {
		t.Errorf("row 3 opened %s jumped %s arrived %s, want 1, 1 and 1 (arrival reported by row)", r[9], r[10], r[11])
	}
	if r := recs[7]; r[9] != "2" || r[10] != "0" {
		t.Errorf("row 7 opened %s jumped %s, want 2 and 0", r[9], r[10])
	}

	// An unknown serial waits for its job, then is counted and dropped.
	in := receipt.NewInbox(w.bucket, w.clk.now)
	_, err = in.Put(t.Context(), "push", []receipt.Receipt{{SerialNo: "2433:999999999", Delivered: true}})
	must(t, err)
	if st = w.tick(w.followup(false)); st.Waiting != 1 || st.Unknown != 0 {
		t.Fatalf("unknown receipt: %+v, want it waiting", st)
	}
	w.clk.add(2 * time.Hour)
	// While a job is unfinished (deferred overnight: no result.csv yet), a
	// receipt nobody claims may be its: it waits past the grace period.
	running := []send.JobInfo{{JobID: "j9", ReportPrefix: "reports/night/j9/", Status: send.StatusDeferred}}
	st, err = w.followup(false).Tick(t.Context(), w.bucket, w.st, running)
	if err != nil || st.Waiting != 1 || st.Unknown != 0 {
		t.Fatalf("unknown receipt while a job is deferred: %+v %v, want it waiting", st, err)
	}
	if st = w.tick(w.followup(false)); st.Waiting != 0 || st.Unknown != 1 {
		t.Fatalf("unknown receipt after the grace: %+v, want it dropped", st)
	}
	var is followup.InboxStats
	data, err := w.bucket.ReadAll(t.Context(), followup.StatsKey)
	must(t, err)
	if must(t, json.Unmarshal(data, &is)); is.Unknown != 1 {
		t.Fatalf("%s: %+v, want 1 unknown", followup.StatsKey, is)
	}

	// After the window the report is settled; a receipt for one of its rows
	// is late: counted, numbers unchanged.
	w.clk.add(72 * time.Hour)
	w.tick(w.followup(false))
	settled := w.funnel()
	if !settled.Settled || settled.Delivered != fn.Delivered {
		t.Fatalf("after the window: %+v", settled)
	}
	serial := recs[1][5]
	_, err = in.Put(t.Context(), "push", []receipt.Receipt{{SerialNo: serial, Delivered: false, Code: "UNDELIV"}})
	must(t, err)
	if st = w.tick(w.followup(false)); st.Late != 1 || st.Waiting != 0 {
		t.Fatalf("late receipt: %+v", st)
	}
	late := w.funnel()
	if late.Receipts.Late != 1 || late.Delivered != fn.Delivered || late.DeliveryFailed != fn.DeliveryFailed {
		t.Fatalf("late receipt changed the numbers: %+v", late)
	}
}

// TestOneTickAtATime: a tick that finds another one's lease does nothing.
func TestOneTickAtATime(t *testing.T) {
	w := newWorld(t)
	ok, err := w.st.SetIfAbsent(t.Context(), "followup/lease", []byte("x"), time.Minute)
	if err != nil || !ok {
		t.Fatal(err)
	}
	if st := w.tick(w.followup(false)); st != (followup.Stats{}) {
		t.Fatalf("tick under another's lease: %+v", st)
	}
}
