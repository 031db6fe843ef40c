package audience

import (
	"context"
	"log/slog"
	"strings"

	"github.com/smsjump/smsjump/shared/phone"
)

// Reason is the report reason of a row the audience refused.
func (v Verdict) Reason() string {
	switch v {
	case OptedOut:
		return "opted_out"
	case Capped:
		return "frequency_capped"
	}
	return ""
}

// Job describes a send-sms job run to the Gate.
type Job struct {
	ID       string
	Campaign string
	// Marketing jobs respect the list and the cap and are recorded in the
	// sent ledger; notification jobs respect the list only when their
	// manifest asks (RespectOptOuts).
	Marketing      bool
	RespectOptOuts bool
	DryRun         bool
	// CommittedParts is how many report parts the job's checkpoint holds.
	CommittedParts int
}

// Gate is what send-sms asks of the audience: who to leave out, and what
// to remember. One per function instance.
type Gate struct {
	aud *Audience
	cap Cap
	log *slog.Logger
}

// NewGate returns a Gate applying cap (nil: off) to marketing jobs.
func NewGate(aud *Audience, cap Cap, log *slog.Logger) *Gate {
	if log == nil {
		log = slog.Default()
	}
	return &Gate{aud: aud, cap: cap, log: log}
}

// Begin loads the job's filter (once per run) and, for marketing jobs that
// send, opens its sent ledger.
func (g *Gate) Begin(ctx context.Context, j Job) (*JobGate, error) {
	p := Policy{Suppress: j.Marketing || j.RespectOptOuts}
	if j.Marketing {
		p.Cap = g.cap
	}
	f, err := g.aud.Load(ctx, p)
	if err != nil {
		return nil, err
	}
	jg := &JobGate{f: f, list: g.aud.List, campaign: j.Campaign}
	if j.Marketing && !j.DryRun {
		if jg.rec, err = g.aud.Ledger.Recorder(ctx, j.ID, j.Campaign, j.CommittedParts); err != nil {
			return nil, err
		}
	}
	g.log.Info("audience: loaded for the job", "suppressed", f.Suppressed, "cap", p.Cap.String(),
		"capped_numbers_known", f.Counted, "bytes", f.Bytes, "took", f.Took)
	return jg, nil
}

// JobGate answers for one run. Check is for the feed goroutine; Sent is
// called by the checkpoint (serialised); Blacklisted by any worker.
type JobGate struct {
	f        *Filter
	rec      *Recorder
	list     *List
	campaign string
}

// Check says whether e164 may be messaged.
func (j *JobGate) Check(e164 string) Verdict {
	if j == nil {
		return Allow
	}
	k, ok := phone.Key(e164)
	if !ok {
		return Allow
	}
	return j.f.Check(k)
}

// Records reports whether Sent wants the numbers messaged (marketing jobs
// that send), so that other jobs need not collect them.
func (j *JobGate) Records() bool { return j != nil && j.rec != nil }

// Sent records the numbers messaged in report part n, as phone.Key keys;
// call it before the part is committed.
func (j *JobGate) Sent(ctx context.Context, part int, keys []uint64) error {
	if !j.Records() {
		return nil
	}
	return j.rec.Commit(ctx, part, keys)
}

// Blacklisted adds numbers SendSms answered FailedOperation.PhoneNumberInBlacklist
// (the console's 退订 and 免打扰 lists), so later campaigns skip them.
func (j *JobGate) Blacklisted(ctx context.Context, e164s []string) error {
	if j == nil || len(e164s) == 0 {
		return nil
	}
	entries := make([]Entry, 0, len(e164s))
	for _, p := range e164s {
		if k, ok := phone.Key(p); ok {
			entries = append(entries, Entry{Key: k, Source: SourceBlacklist, Via: j.campaign})
		}
	}
	_, err := j.list.Add(ctx, entries)
	return err
}

// StoreAdvice says, in the operator's language, when the configured store
// cannot keep the cap well; "" when it can. send-sms logs it at start-up.
func StoreAdvice(storeURL string) string {
	switch u := strings.ToLower(storeURL); {
	case strings.HasPrefix(u, "mem://"):
		return "FREQUENCY_CAP 已开启，但 STORE_URL 是 mem://：计数只在本进程内，跨活动、跨实例都不共享。请改用 redis://（TencentDB for Redis）"
	case strings.HasPrefix(u, "bolt://"):
		return "FREQUENCY_CAP 已开启，但 STORE_URL 是 bolt://：计数只在本机文件里，SCF 各实例之间不共享。生产请改用 redis://（TencentDB for Redis）"
	case strings.HasPrefix(u, "cos://"):
		return "FREQUENCY_CAP 已开启，STORE_URL 是 cos://：每个任务启动时要逐个读取近几天的发送记录（每次数十毫秒），百万级活动启动会慢几十秒。量大时请改用 redis://（TencentDB for Redis）"
	}
	return ""
}
