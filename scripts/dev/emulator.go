package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/scf/host"
	"github.com/smsjump/smsjump/shared/store"
)

// readyLine is printed once everything listens; tests wait for it.
const readyLine = "smsjump 模拟器已就绪"

// emulator is everything `go run ./scripts/dev` runs; close stops it in the
// reverse order of start.
type emulator struct {
	opt     options
	lay     layout
	baseURL string
	out     io.Writer // what the operator reads: con
	con     *console
	log     *slog.Logger
	sink    *logSink  // the functions' output
	watch   *jobWatch // job events and summaries
	sms     *smsPrinter

	st      store.Store
	bucket  *blob.Bucket
	sb      *sandboxes
	fns     *functions
	trig    *triggers
	closers []func()
}

func (e *emulator) onClose(f func()) { e.closers = append(e.closers, f) }

func (e *emulator) close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
	e.closers = nil
}

func runEmulator(ctx context.Context, args []string) error {
	opt, err := parseOptions(args)
	if err != nil {
		return err
	}
	if opt.live {
		if err := missingLive(os.Getenv); err != nil {
			return err
		}
	}
	con := newConsole(os.Stdout, term.IsTerminal(int(os.Stdout.Fd())))
	e := &emulator{opt: opt, lay: layout{root: opt.dir}, baseURL: fmt.Sprintf("http://127.0.0.1:%d/", opt.port), out: con, con: con}
	logFile, err := e.openLog()
	if err != nil {
		return err
	}
	defer logFile.Close()
	defer func() {
		e.close()
		con.status("")
		fmt.Fprintln(e.out, "已停止：函数、服务器、监视器和定时器都已关闭，存储已关闭")
	}()
	if err := e.start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "\n%s：%s（Ctrl-C 停止）\n", readyLine, e.baseURL)
	if opt.demo {
		if err := e.runDemo(ctx); err != nil && ctx.Err() == nil {
			fmt.Fprintln(e.out, "示例活动：", err)
		}
	} else {
		fmt.Fprintf(e.out, "把 CSV（和它的清单 .json，清单先放）放进 %s 即开始一次活动\n", e.lay.uploads())
	}
	<-ctx.Done()
	fmt.Fprintln(e.out, "\n正在停止…")
	return nil
}

// openLog creates the work directory and the log file every raw log line
// goes to, and the emulator's own logger: text into the file, or with
// --log json, JSON on stderr as well.
func (e *emulator) openLog() (*os.File, error) {
	if err := e.lay.create(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(e.lay.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	e.sink = &logSink{file: f, con: e.con}
	if e.opt.logMode == "json" {
		e.sink.raw = os.Stderr
		e.log = slog.New(slog.NewJSONHandler(io.MultiWriter(f, os.Stderr), opts))
	} else {
		e.log = slog.New(slog.NewTextHandler(f, opts))
	}
	return f, nil
}

func (e *emulator) start(ctx context.Context) error {
	fmt.Fprintf(e.out, "smsjump 本地模拟器（%s），工作目录 %s\n", e.modeText(), e.lay.root)
	fmt.Fprintf(e.out, "完整日志：%s（--log json 时同时输出到 stderr）\n", e.lay.logFile())
	if e.opt.live {
		fmt.Fprintln(e.out, liveNetworkWarning)
	}
	// Open the store once here so a locked or corrupt file is reported now,
	// not by every function later.
	st, err := store.Open(ctx, e.lay.storeURL(), store.WithLogger(e.log))
	if err != nil {
		return fmt.Errorf("store %s: %w", e.lay.storeFile(), err)
	}
	e.st = st
	e.onClose(func() { _ = st.Close() })
	if e.bucket, err = blob.Open(ctx, e.lay.bucketURL()); err != nil {
		return err
	}
	e.onClose(func() { _ = e.bucket.Close() })

	fmt.Fprintln(e.out, "编译函数…")
	built, missing, err := buildFunctions(ctx, e.opt.repo, e.lay, e.out)
	if err != nil {
		return err
	}
	for _, m := range missing {
		fmt.Fprintf(e.out, "  %-20s 没有找到（functions/%s/main.go），不运行\n", m.name, m.name)
	}
	if err := e.startSandboxes(); err != nil {
		return err
	}
	env := functionEnv(envSettings{live: e.opt.live, getenv: os.Getenv, lay: e.lay, baseURL: e.baseURL, sb: e.sb})
	fmt.Fprintf(e.out, "函数的环境变量：\n%s", describeEnv(env))
	if err := e.startPage(ctx, env); err != nil {
		return err
	}
	e.watch = newJobWatch(e.con, e.bucket, e.lay.bucket(), e.sms)
	e.sink.onEvent = e.watch.event
	if e.fns, err = startFunctions(built, e.lay, env, e.sink, e.sink, e.log); err != nil {
		return err
	}
	e.onClose(e.fns.Close)

	var gate *liveGate
	if e.opt.live {
		gate = newLiveGate(livePrompt(env["SMS_SDK_APP_ID"]), e.opt.yes)
	}
	e.trig = newTriggers(e.fns, e.opt.retryDelay, gate, e.out, e.log)
	e.trig.onResult = func(ctx context.Context, fn string, r host.Result) {
		// The host forwards a function's output before its answer, so the
		// summary comes after the job's events.
		if fn == fnSendSMS && r.Err == nil {
			e.watch.reply(ctx, r.Payload)
		}
	}
	if e.sb != nil {
		e.trig.beforeSend = e.approveUploaded
	}
	if e.opt.live {
		e.trig.describe = e.describeJob
	}
	if e.sms != nil {
		e.trig.onUpload = func(string) { e.sms.reset() }
	}
	e.onClose(e.trig.wait)

	if err := e.startHTTP(); err != nil {
		return err
	}
	if err := e.startWatcher(ctx); err != nil {
		return err
	}
	pctx, stopPoll := context.WithCancel(ctx)
	var pwg sync.WaitGroup
	pwg.Go(func() { e.watch.poll(pctx) })
	e.onClose(func() { stopPoll(); pwg.Wait() })
	specs := timerSpecs
	if d := e.opt.resumeEvery; d > 0 {
		specs = slices.Clone(timerSpecs)
		for i := range specs {
			if specs[i].function == fnSendSMS {
				specs[i].cron = "@every " + d.String()
			}
		}
		fmt.Fprintf(e.out, "send-sms 续发定时器每 %s 触发一次（--resume-every；serverless.yml 里是每 2 分钟）\n", d)
	}
	stopTimers, err := startTimers(ctx, specs, func(fn string) bool { _, ok := e.fns.get(fn); return ok }, e.trig.tick)
	if err != nil {
		return err
	}
	e.onClose(stopTimers)
	e.warmUp(ctx)
	return nil
}

func (e *emulator) modeText() string {
	if e.opt.live {
		return "--live：真实的微信和腾讯云短信接口，会发出真实短信"
	}
	return "沙箱：微信和短信接口都是本地模拟，不会发出真实短信"
}

// startSandboxes starts the WeChat and SMS sandboxes (not in --live) with the
// demo template and those of manifests already uploaded approved, and prints
// every SMS they deliver.
func (e *emulator) startSandboxes() error {
	if e.opt.live {
		return nil
	}
	ap := newApprovals()
	m, err := parseDemoManifest(e.baseURL)
	if err != nil {
		return fmt.Errorf("demo manifest: %w", err)
	}
	if err := ap.add(m); err != nil {
		return err
	}
	for _, path := range uploadedManifests(e.lay) {
		if m, err := readManifest(path, e.baseURL); err == nil {
			if err := ap.add(m); err != nil {
				fmt.Fprintf(e.out, "  %s: %v\n", filepath.Base(path), err)
			}
		} else {
			fmt.Fprintf(e.out, "  %s：%v（其模板未在沙箱中审核通过）\n", filepath.Base(path), err)
		}
	}
	sb, err := startSandboxes(ap, e.log)
	if err != nil {
		return err
	}
	e.sb = sb
	e.onClose(sb.Close)
	// Delivery receipts reach get-scheme as the console's status callback would send them.
	sb.sms.SetStatusCallback(e.baseURL + strings.TrimPrefix(apiPath, "/") + "/cb/" + sb.callbackToken + "/sms-status")
	e.sms = &smsPrinter{out: e.out}
	e.onClose(sb.sms.Subscribe(e.sms.print))
	fmt.Fprintf(e.out, "沙箱：微信接口 %s，短信接口 %s（已审核模板 %d 个）\n", sb.wx.URL(), sb.sms.URL(), len(ap.templates))
	return nil
}

// approveUploaded approves the template and signature of the manifest
// uploaded beside csvKey in the SMS sandbox, as an operator has them
// approved in the SMS console before uploading. A missing or invalid
// manifest is left for send-sms to report.
func (e *emulator) approveUploaded(csvKey string) {
	path := filepath.Join(e.lay.bucket(), filepath.FromSlash(strings.TrimSuffix(csvKey, ".csv")+".json"))
	m, err := readManifest(path, e.baseURL)
	if err != nil || m.TemplateID == "" || m.TemplateText == "" {
		return
	}
	err = e.sb.sms.Approve(m.TemplateID, sandboxTemplate(m))
	var approved string
	if errors.Is(err, smsapi.ErrTemplateChanged) {
		if t, ok := e.sb.sms.Template(m.TemplateID); ok {
			approved = t.Text
		}
		fmt.Fprintf(e.out, "  %s: %v\n", filepath.Base(path), templateChangedError(m.TemplateID, approved, m.TemplateText))
	} else if err != nil {
		fmt.Fprintf(e.out, "  %s: 模板 %s 未能在沙箱中审核通过：%v\n", filepath.Base(path), m.TemplateID, err)
		return
	}
	if m.SignName != "" {
		e.sb.sms.ApproveSign(m.SignName)
	}
}

func uploadedManifests(lay layout) []string {
	paths, _ := filepath.Glob(filepath.Join(lay.uploads(), "*.json"))
	return paths
}

func readManifest(path, baseURL string) (campaign.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return campaign.Manifest{}, err
	}
	defer f.Close()
	return campaign.ParseManifest(f, campaign.Defaults{
		SDKAppID: sandboxSdkAppID, SignName: sandboxSignName, TemplateID: sandboxTemplateID, LinkBaseURL: baseURL,
	})
}

func (e *emulator) startPage(ctx context.Context, env map[string]string) error {
	if e.opt.noPage {
		return nil
	}
	fmt.Fprintln(e.out, "构建 H5 页面…")
	originalID := os.Getenv("WECHAT_ORIGINAL_ID")
	if originalID == "" && !e.opt.live {
		originalID = sandboxOriginalID
	}
	err := buildPage(ctx, e.opt.repo, e.lay.page(), pageEnv(env["WECHAT_APPID"], originalID, env["WECHAT_ENV_VERSION"]), e.out)
	if err != nil {
		// The campaign flow works without the page: keep going, loudly.
		fmt.Fprintf(e.out, "  H5 页面构建失败，只提供 /api/scheme：\n  %v\n", err)
		if !errors.Is(err, errNoNode) {
			fmt.Fprintln(e.out, "  （先运行 `cd static && npm ci` 再试，或加 --no-page 跳过页面）")
		}
	}
	return nil
}

func (e *emulator) startHTTP() error {
	ln, err := listen(e.opt.port)
	if err != nil {
		return err
	}
	gs, _ := e.fns.get(fnGetScheme)
	srv := &http.Server{Handler: newMux(e.lay.page(), gs, e.log), ReadHeaderTimeout: 10 * time.Second}
	done := serve(srv, ln, e.log)
	e.onClose(func() { shutdownServer(srv); <-done })
	fmt.Fprintf(e.out, "页面 %s，get-scheme 函数 URL %s\n", e.baseURL, e.baseURL+apiPath[1:])
	return nil
}

func (e *emulator) startWatcher(ctx context.Context) error {
	w, err := newWatcher(e.lay.uploads(), e.bucket, e.trig.object, e.log)
	if err != nil {
		return err
	}
	if names := w.skipExisting(ctx); len(names) > 0 {
		fmt.Fprintf(e.out, "监视 %s（已有的 %d 个 CSV 不会重发，和 COS 一样；要重发请重新复制进去）\n", e.lay.uploads(), len(names))
	} else {
		fmt.Fprintf(e.out, "监视 %s\n", e.lay.uploads())
	}
	ws := []*watcher{w}
	// suppress/ and unsuppress/ trigger send-sms too (serverless.yml).
	for _, dir := range e.lay.lists() {
		lw, err := newWatcher(dir, e.bucket, e.trig.object, e.log)
		if err != nil {
			for _, w := range ws {
				_ = w.Close()
			}
			return err
		}
		lw.skipExisting(ctx)
		ws = append(ws, lw)
	}
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Go(func() { w.run(wctx) })
	}
	e.onClose(func() {
		cancel()
		wg.Wait()
		for _, w := range ws {
			_ = w.Close()
		}
	})
	return nil
}

// warmUp runs token-refresh once, as its timer would within five minutes, so
// the first link opened finds a token and a broken configuration shows now.
func (e *emulator) warmUp(ctx context.Context) {
	pool, ok := e.fns.get(fnTokenRefresh)
	if !ok {
		return
	}
	spec := timerSpecs[len(timerSpecs)-1]
	for _, s := range timerSpecs {
		if s.function == fnTokenRefresh {
			spec = s
		}
	}
	payload, _ := timerEvent(spec, time.Now())
	out, err := pool.Invoke(ctx, payload, host.InvokeOptions{})
	if err != nil {
		fmt.Fprintf(e.out, "token-refresh 失败：%v\n", err)
		return
	}
	fmt.Fprintf(e.out, "token-refresh：%s\n", truncate(string(out), 200))
}
