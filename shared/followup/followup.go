package followup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
)

// Followup runs on the send-sms timer. It is safe to run from several
// instances at once: a store lease lets one of them work per tick.
type Followup struct {
	o Options
}

// New returns a Followup with o's defaults filled.
func New(o Options) *Followup {
	o.fill()
	return &Followup{o: o}
}

// Hook is the send-sms timer hook (send.Options.OnTimer).
func (f *Followup) Hook() send.TimerHook {
	return func(ctx context.Context, s *send.Service, jobs []send.JobInfo) error {
		_, err := f.Tick(ctx, s.Bucket(), s.Store(), jobs)
		return err
	}
}

// leaseKey serialises ticks: two ticks matching the same inbox batch
// would both apply it.
const leaseKey = "followup/lease"

// Stats say what one tick did.
type Stats struct {
	Pulled     int // receipts taken off the PullSmsSendStatus queue
	Matched    int // receipts added to a job's ledger
	Duplicates int
	Late       int
	Unknown    int // dropped after UnknownGrace: no job has their SerialNo
	Waiting    int // kept in the inbox for a later tick
	Reports    int // jobs whose reports were rewritten
}

// Tick pulls, matches and refreshes once. unfinished are the jobs of the
// send index; finished jobs are found through reports/<name>/latest.json.
func (f *Followup) Tick(ctx context.Context, b *blob.Bucket, st store.Store, unfinished []send.JobInfo) (Stats, error) {
	var stats Stats
	ok, err := st.SetIfAbsent(ctx, leaseKey, []byte("1"), 10*time.Minute)
	if err != nil {
		return stats, fmt.Errorf("followup: lease: %w", err)
	}
	if !ok {
		f.o.Logger.InfoContext(ctx, "followup: another instance is at it; skipping this tick")
		return stats, nil
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = st.Delete(dctx, leaseKey)
	}()

	in := receipt.NewInbox(b, f.o.Now)
	var errs []error
	n, err := f.pull(ctx, in)
	stats.Pulled = n
	if err != nil {
		errs = append(errs, err)
	}
	batches, err := in.Batches(ctx, f.o.MaxBatches)
	if err != nil {
		return stats, errors.Join(append(errs, err)...)
	}
	pend := newPending(batches)
	jobs, err := discover(ctx, b, unfinished)
	if err != nil {
		errs = append(errs, err)
	}
	for _, j := range jobs {
		if err := f.job(ctx, b, st, j, pend, &stats); err != nil {
			errs = append(errs, fmt.Errorf("followup: job %s: %w", j.ReportPrefix, err))
		}
	}
	// A job still running (paused overnight, deferred to tomorrow) writes
	// its result.csv only when it ends: its receipts must wait for it.
	if err := f.settleInbox(ctx, in, pend, len(unfinished) > 0, &stats); err != nil {
		errs = append(errs, err)
	}
	if stats.Unknown > 0 {
		if err := addUnknown(ctx, b, stats.Unknown, f.o.Now()); err != nil {
			errs = append(errs, err)
		}
	}
	f.o.Logger.InfoContext(ctx, "followup: tick", "pulled", stats.Pulled, "matched", stats.Matched,
		"duplicates", stats.Duplicates, "late", stats.Late, "unknown", stats.Unknown, "waiting", stats.Waiting,
		"reports", stats.Reports)
	return stats, errors.Join(errs...)
}

// pull moves receipts from the PullSmsSendStatus queue into the inbox. The
// queue gives each receipt once, so each pulled page is stored before the
// next is asked for.
func (f *Followup) pull(ctx context.Context, in *receipt.Inbox) (int, error) {
	if f.o.Puller == nil {
		return 0, nil
	}
	total := 0
	for range f.o.MaxPulls {
		ds, err := f.o.Puller.PullStatuses(ctx, f.o.SdkAppID, 100)
		if err != nil {
			return total, fmt.Errorf("followup: PullSmsSendStatus: %w", err)
		}
		if len(ds) == 0 {
			return total, nil
		}
		rs := make([]receipt.Receipt, len(ds))
		for i, d := range ds {
			rs[i] = receipt.Receipt{SerialNo: d.SerialNo, Delivered: d.Delivered, Code: d.Detail, At: d.Received}
		}
		if _, err := in.Put(ctx, "pull", rs); err != nil {
			// Pulled and not stored: these receipts are gone from the queue.
			f.o.Logger.ErrorContext(ctx, "followup: pulled receipts could not be stored and are lost", "receipts", len(rs), "err", err)
			return total, err
		}
		total += len(rs)
	}
	return total, nil
}

// jobRef is a job to follow up.
type jobRef struct {
	JobID        string
	ReportPrefix string
}

// discover lists the current job of every name (reports/<name>/latest.json)
// and the unfinished jobs of the index.
func discover(ctx context.Context, b *blob.Bucket, unfinished []send.JobInfo) ([]jobRef, error) {
	seen := map[string]bool{}
	var out []jobRef
	add := func(id, prefix string) {
		if id != "" && !seen[prefix] {
			seen[prefix] = true
			out = append(out, jobRef{JobID: id, ReportPrefix: prefix})
		}
	}
	for _, j := range unfinished {
		add(j.JobID, j.ReportPrefix)
	}
	for a, err := range b.List(ctx, "reports/") {
		if err != nil {
			return out, fmt.Errorf("followup: list reports: %w", err)
		}
		name, ok := strings.CutSuffix(strings.TrimPrefix(a.Key, "reports/"), "/latest.json")
		if !ok || strings.Contains(name, "/") {
			continue
		}
		l, err := send.ReadLatest(ctx, b, name)
		if err != nil {
			return out, err
		}
		add(l.JobID, l.Report)
	}
	return out, nil
}

func readJSON(ctx context.Context, b *blob.Bucket, key string, v any) (bool, error) {
	data, err := b.ReadAll(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}
