package send

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
)

// run is one invocation's work on a job. Each piece of moving state has one
// owner: the lease keeper the lease, the checkpointer the State while rows
// are sent, the feeder the reader and the dispatch counters, the tracker
// the rows in flight, the stopper the decision to stop.
type run struct {
	s      *Service
	u      Upload
	jobID  string
	prefix string // reports/<name>/<job>/
	size   int64
	st     *State // owned by ck from the first row until every taken row is final
	lease  *leaseKeeper
	log    *slog.Logger
	prev   string // the job this new one supersedes, on its first run

	// Fixed once sending starts.
	m       campaign.Manifest
	rend    *campaign.Renderer
	window  campaign.DailyWindow
	sender  sms.Sender
	qps     int
	started time.Time
	// startSent and startOffset are the counters at the start of this run,
	// for its rate and ETA.
	startSent   int
	startOffset int64

	stop  *stopper
	ck    *checkpointer
	fd    *feeder
	tr    *tracker
	parts *partWriter
	work  chan *batch
	aud   *audience.JobGate // nil: no audience configured, or nothing to send
	// loaded is the manifest as startsLater read it (nil: not read yet).
	loaded *loadedManifest
}

// info describes the job to hooks.
func (r *run) info() JobInfo {
	return JobInfo{JobID: r.jobID, Upload: r.u, Campaign: r.m.CampaignID, ReportPrefix: r.prefix, Status: r.st.Status}
}

// execute runs the job until the end of the file or a stop, and leaves it
// checkpointed. It returns the job's status.
func (r *run) execute(ctx context.Context) (Status, error) {
	now := r.s.o.Now()
	r.started = now
	r.stop = &stopper{log: r.log}
	r.lease.whenLost(r.stop.leaseLost)
	if r.st == nil {
		r.st = &State{Upload: r.u, JobID: r.jobID, Started: now, Size: r.size, Previous: r.prev}
	} else if sup, err := r.superseded(ctx); err != nil {
		return StatusRunning, err
	} else if sup {
		if r.st.Status == StatusRunning && r.st.Reserved > r.st.Watermark {
			r.st.InFlightAtCrash = r.st.InFlightAtCrash.Add(r.st.Watermark+1, r.st.Reserved)
		}
		if err := r.s.retire(ctx, r.st); err != nil {
			return StatusRunning, err
		}
		return StatusSuperseded, nil
	}
	stop, err := r.s.stopRequested(ctx, r.u)
	if err != nil {
		return StatusRunning, err
	}
	if stop && r.st.Status != StatusRunning {
		return r.stopped(ctx, now)
	}
	if r.u.Manifest == ManifestNone && r.st.Status != StatusRunning && r.s.manifestRequired(r.u) {
		return r.awaitManifest(ctx, now)
	}
	crashLoop := false
	if r.st.Status == StatusRunning && r.st.Reserved > r.st.Watermark {
		// The previous run died holding the lease (SIGKILL, OOM, SCF
		// timeout): whatever it had reserved may have gone out.
		r.st.InFlightAtCrash = r.st.InFlightAtCrash.Add(r.st.Watermark+1, r.st.Reserved)
		r.log.Warn("send-sms: resuming after a crash; rows in flight then are sent again and flagged",
			"from", r.st.Watermark+1, "to", r.st.Reserved)
		// A crash that repeats at the same row would send the reserved
		// rows again on every resume: count resumes without progress.
		if r.st.Watermark == r.st.RunStart {
			r.st.Stalls++
		} else {
			r.st.Stalls = 0
		}
		crashLoop = r.st.Stalls >= r.s.o.MaxStalledRuns
	} else {
		r.st.Stalls = 0
	}
	r.st.RunStart = r.st.Watermark
	if stop {
		// A crashed run: its rows in flight are recorded above; the job
		// stays stopped until the file goes.
		r.st.Reserved = r.st.Watermark
		return r.stopped(ctx, now)
	}
	if s := r.st.Status; s == "" || s == StatusScheduled {
		// start_at in the future: check the list now, send later.
		m, later, err := r.startsLater(ctx, now)
		if err != nil {
			return StatusRunning, err // the bucket failed: retry
		}
		if later {
			return r.schedule(ctx, m, now)
		}
	}
	if err := r.st.moveTo(StatusRunning); err != nil {
		return r.st.Status, err
	}
	r.st.Runs++
	r.st.NextAttempt, r.st.Deferral = time.Time{}, ""
	r.st.Reserved = r.st.Watermark
	if f := r.st.Fatal; f != nil && sms.Classify(f.Code) == sms.Deferred {
		// A limit that lifts by itself is never a reason to give up; a
		// state saved by an older version may still carry it as fatal.
		r.st.Fatal = nil
	}
	if crashLoop && r.st.Fatal == nil {
		r.st.Fatal = &Fatal{Reason: ReasonCrashLoop, Detail: fmt.Sprintf(
			"第 %d 行之后连续 %d 次运行崩溃且毫无进展，任务已停止，未再发送。请在 SCF 控制台 → 函数 → 日志查询 中查看崩溃原因（常见为内存不足：调大 send-sms 的内存），修复后重新上传 CSV",
			r.st.Watermark, r.st.Stalls+1)}
	}

	m, merr := r.manifest(ctx)
	if merr != nil && !errors.Is(merr, campaign.ErrInvalidManifest) {
		return StatusRunning, merr // the bucket failed: retry
	}
	r.m = m
	r.st.Campaign, r.st.DryRun = m.CampaignID, m.DryRun
	r.log = r.log.With("campaign", m.CampaignID)
	r.stop.log = r.log
	if merr == nil {
		merr = m.Validate()
	}
	if err := saveState(ctx, r.s.o.Store, r.st); err != nil {
		return StatusRunning, err
	}
	if err := r.s.putIndex(ctx, r.st); err != nil {
		return StatusRunning, err
	}
	r.log.Info("send-sms: job started", "runs", r.st.Runs, "watermark", r.st.Watermark, "dry_run", m.DryRun)
	// Only now: the operator's terminal reads these lines as events, and a
	// job cannot stop before it has started.
	if r.st.Fatal != nil {
		r.stop.setFatal(r.st.Fatal)
	}
	if merr != nil {
		r.stop.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: merr.Error(),
			Fix: "改正 " + r.u.ManifestKey() + "（错误信息列出了每一个问题）后重新上传 CSV"})
	}

	r.window = m.EffectiveSendWindow()
	if r.stop.fatalReason() == nil && !m.DryRun && !r.inWindow(now) {
		return r.defer_(ctx, now)
	}

	in, err := r.openReader(ctx)
	if err != nil {
		var bad badCSVError
		if errors.As(err, &bad) {
			return r.fail(ctx, &Fatal{Reason: "invalid_csv", Detail: bad.Error()})
		}
		return StatusRunning, err
	}
	if r.stop.fatalReason() == nil {
		rend, err := campaign.NewRenderer(m, in.rd.Header())
		if err != nil {
			r.stop.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: err.Error()})
		}
		r.rend = rend
	}
	if r.stop.fatalReason() == nil && !m.DryRun {
		err := r.putCampaign(ctx)
		switch {
		case errors.Is(err, ErrInvalidCampaign):
			r.stop.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: err.Error()})
		case err != nil:
			return StatusRunning, err
		}
	}
	if f := r.stop.fatalReason(); f != nil {
		r.log.Error("send-sms: nothing will be sent", "reason", f.Reason, "detail", f.Detail)
	}

	r.parts = &partWriter{ctx: context.WithoutCancel(ctx), bucket: r.s.o.Bucket, prefix: r.prefix + ".parts/", next: r.st.Parts}
	var pos position
	if r.st.Reader != nil {
		pos = position{r.st.Reader.Offset, r.st.Reader.Line}
	}
	r.tr = newTracker(r.s.o.Window, r.st.Watermark, pos, r.st.Counters, r.st.InFlightAtCrash, r.parts)
	r.ck = newCheckpointer(r.s.o.Store, r.st, r.tr, r.stop, r.s.o.Now, now, in.header)
	if in.encoding != "" {
		r.ck.encoding.Store(in.encoding)
	}
	carried, err := r.loadCarry(ctx)
	if err != nil {
		return StatusRunning, err
	}
	if r.s.o.Audience != nil && r.stop.fatalReason() == nil {
		aud, err := r.s.o.Audience.Begin(ctx, audience.Job{
			ID: r.jobID, Campaign: m.CampaignID, Marketing: m.Type == campaign.Marketing,
			RespectOptOuts: m.RespectOptOuts, DryRun: m.DryRun, CommittedParts: r.st.Parts,
		})
		if err != nil {
			return StatusRunning, fmt.Errorf("load suppression list and caps: %w", err) // the store failed: retry
		}
		r.aud = aud
		r.ck.aud = aud
		r.parts.recordSent = aud.Records()
	}
	var excluded *phone.Set
	if r.st.Previous != "" && r.stop.fatalReason() == nil && !m.DryRun {
		if excluded, err = r.s.previousSent(ctx, r.st.Previous); err != nil {
			return StatusRunning, err
		}
	}
	r.fd = &feeder{r: r, rd: in.rd, dups: in.dups, repeated: in.repeated, carried: carried, excluded: excluded}
	r.fd.offset.Store(pos.offset)
	r.startSent, r.startOffset = r.st.Counters.Sent, pos.offset

	qps := min(m.QPS, r.s.o.QPS)
	if qps <= 0 {
		qps = r.s.o.QPS
	}
	r.qps = qps
	// The API counts requests per wall-clock second. Aiming 2 % under the
	// limit with a small burst keeps every such second below it, so the
	// job never provokes RequestLimitExceeded and the halving it causes.
	lim, err := sms.NewLimiter(sms.LimiterConfig{QPS: float64(qps) * 0.98, Burst: max(1, qps/100)})
	if err != nil {
		return r.fail(ctx, &Fatal{Reason: ReasonInvalidManifest, Detail: err.Error()})
	}
	sender := r.s.o.Sender
	if r.s.acct != nil {
		sender = accountThrottled{s: sender, a: r.s.acct}
	}
	r.sender = sms.Throttle(sender, lim)
	return r.send(ctx)
}

// send runs the feed, the workers and the monitor until the feed stops and
// every taken row is final, then decides the job's status.
func (r *run) send(ctx context.Context) (Status, error) {
	nWorkers := r.s.workers(r.qps)
	r.work = make(chan *batch, nWorkers)
	var wg sync.WaitGroup
	for range nWorkers {
		wg.Go(func() { r.worker(ctx) })
	}
	monCtx, stopMonitor := context.WithCancel(ctx)
	monDone := make(chan struct{})
	go func() { defer close(monDone); r.monitor(monCtx, ctx) }()

	eof, feedErr := r.fd.run(ctx)
	close(r.work)
	wg.Wait()
	if ctx.Err() != nil {
		<-monDone // the monitor saw it too and recorded the cause
	}
	stopMonitor()
	<-monDone
	r.tr.close()
	if err := r.ck.saveFinal(ctx, r.s.o.FinalCheckpointTries, r.s.o.RetryBase); err != nil && !errors.Is(err, ErrLeaseLost) {
		return StatusRunning, err
	}
	if feedErr != nil && !errors.Is(feedErr, errTrackerClosed) {
		return StatusRunning, feedErr
	}
	return r.finish(ctx, eof)
}
