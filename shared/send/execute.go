package send

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/campaign"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
)

// stopCause says why a run stops taking rows before the end of the file.
type stopCause int32

const (
	keepGoing stopCause = iota
	stopDeadline
	stopWindow
	stopLeaseLost
	stopAbort // a checkpoint or report write failed
)

// run is one invocation's work on a job.
type run struct {
	s     *Service
	u     Upload
	jobID string
	size  int64
	st    *State
	lease *lease
	log   *slog.Logger

	m       campaign.Manifest
	rend    *campaign.Renderer
	window  campaign.DailyWindow
	sender  sms.Sender
	tr      *tracker
	parts   *partWriter
	dups    *phone.Set
	work    chan *batch
	started time.Time

	stop     atomic.Int32
	fatal    atomic.Pointer[Fatal]
	reserved atomic.Int64
	calls    atomic.Int64
	readRows atomic.Int64
	// dispatchedRows counts rows handed to workers; dispatchRate is how
	// many went in the last checkpoint interval; dispatchedHigh is the
	// highest row handed over.
	dispatchedRows atomic.Int64
	dispatchRate   atomic.Int64
	dispatchedHigh atomic.Int64
	offset         atomic.Int64
	encoding       atomic.Value // campaign.Encoding

	header      []string // CSV column names, for reader checkpoints
	startSent   int      // counters at the start of this run, for its rate
	startOffset int64
	qps         int
	activeMark  time.Time // when State.Active was last advanced, under ckMu

	ckMu      sync.Mutex // serialises checkpoints
	abortErr  error      // why stopAbort, under ckMu
	baseCalls int
}

// execute runs the job until the end of the file or a stop, and leaves it
// checkpointed. It returns the job's status.
func (r *run) execute(ctx context.Context) (Status, error) {
	now := r.s.o.Now()
	r.started = now
	if r.st == nil {
		r.st = &State{Upload: r.u, JobID: r.jobID, Started: now, Size: r.size}
	} else if r.st.Status == StatusRunning && r.st.Reserved > r.st.Watermark {
		// The previous run died holding the lease (SIGKILL, OOM, SCF
		// timeout): whatever it had reserved may have gone out.
		r.st.InFlightAtCrash = r.st.InFlightAtCrash.Add(r.st.Watermark+1, r.st.Reserved)
		r.log.Warn("send-sms: resuming after a crash; rows in flight then are sent again and flagged",
			"from", r.st.Watermark+1, "to", r.st.Reserved)
	}
	r.st.Runs++
	r.st.Status = StatusRunning
	r.st.NextAttempt = time.Time{}
	r.st.Reserved = r.st.Watermark
	r.reserved.Store(int64(r.st.Reserved))
	r.baseCalls = r.st.Counters.Calls
	if r.st.Fatal != nil {
		r.fatal.Store(r.st.Fatal)
	}

	m, merr := r.s.loadManifest(ctx, r.u)
	if merr != nil && !errors.Is(merr, campaign.ErrInvalidManifest) {
		return StatusRunning, merr // the bucket failed: retry
	}
	r.m = m
	r.st.Campaign, r.st.DryRun = m.CampaignID, m.DryRun
	r.log = r.log.With("campaign", m.CampaignID)
	if merr == nil {
		merr = m.Validate()
	}
	if merr != nil {
		r.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: merr.Error()})
	}
	if err := saveState(ctx, r.s.o.Store, r.st); err != nil {
		return StatusRunning, err
	}
	if err := r.s.putIndex(ctx, r.st); err != nil {
		return StatusRunning, err
	}
	r.log.Info("send-sms: job started", "runs", r.st.Runs, "watermark", r.st.Watermark, "dry_run", m.DryRun)

	r.window = m.EffectiveSendWindow()
	if r.fatal.Load() == nil && !m.DryRun && !r.window.Contains(now) {
		return r.defer_(ctx, now)
	}

	rd, err := r.openReader(ctx)
	if err != nil {
		var bad badCSVError
		if errors.As(err, &bad) {
			return r.fail(ctx, &Fatal{Reason: "invalid_csv", Detail: bad.Error()})
		}
		return StatusRunning, err
	}
	if r.fatal.Load() == nil {
		rend, err := campaign.NewRenderer(m, rd.Header())
		if err != nil {
			r.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: err.Error()})
		}
		r.rend = rend
	}
	if r.fatal.Load() == nil && !m.DryRun {
		err := r.putCampaign(ctx)
		switch {
		case errors.Is(err, ErrInvalidCampaign):
			r.setFatal(&Fatal{Reason: ReasonInvalidManifest, Detail: err.Error()})
		case err != nil:
			return StatusRunning, err
		}
	}
	if f := r.fatal.Load(); f != nil {
		r.log.Error("send-sms: nothing will be sent", "reason", f.Reason, "detail", f.Detail)
	}

	r.parts = &partWriter{ctx: context.WithoutCancel(ctx), bucket: r.s.o.Bucket, prefix: r.u.ReportPrefix() + ".parts/", next: r.st.Parts}
	var pos position
	if r.st.Reader != nil {
		pos = position{r.st.Reader.Offset, r.st.Reader.Line}
	}
	r.tr = newTracker(r.s.o.Window, r.st.Watermark, pos, r.st.Counters, r.st.InFlightAtCrash, r.parts)
	r.startSent, r.startOffset = r.st.Counters.Sent, pos.offset
	r.offset.Store(pos.offset)

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
	r.sender = sms.Throttle(r.s.o.Sender, lim)
	nWorkers := r.s.workers(qps)
	r.work = make(chan *batch, nWorkers)
	var wg sync.WaitGroup
	for range nWorkers {
		wg.Go(func() { r.worker(ctx) })
	}
	monCtx, stopMonitor := context.WithCancel(ctx)
	monDone := make(chan struct{})
	go func() { defer close(monDone); r.monitor(monCtx, ctx) }()

	eof, feedErr := r.feed(ctx, rd)
	close(r.work)
	wg.Wait()
	if ctx.Err() != nil {
		<-monDone // the monitor saw it too and recorded the cause
	}
	stopMonitor()
	<-monDone
	r.tr.close()
	if err := r.checkpoint(ctx, 0); err != nil && !errors.Is(err, ErrLeaseLost) {
		return StatusRunning, err
	}
	if feedErr != nil && !errors.Is(feedErr, errTrackerClosed) {
		return StatusRunning, feedErr
	}
	return r.finish(ctx, eof)
}

func (r *run) setFatal(f *Fatal) {
	if r.fatal.CompareAndSwap(nil, f) {
		r.log.Error("send-sms: job stops sending", "reason", f.Reason, "code", f.Code, "detail", f.Detail)
	}
}

func (r *run) abort(err error) {
	r.ckMu.Lock()
	if r.abortErr == nil {
		r.abortErr = err
	}
	r.ckMu.Unlock()
	r.stop.CompareAndSwap(int32(keepGoing), int32(stopAbort))
}
