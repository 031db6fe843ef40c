package audience

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// ledgerTTL outlives the longest cap window (30 days) by a day.
const ledgerTTL = 31 * 24 * time.Hour

// Ledger records which numbers marketing jobs sent to, across campaigns,
// for the frequency cap and for telling which campaign a reply answered.
//
// Layout in the store:
//
//	audience/sent/day/<YYYYMMDD>   jobs that sent that Beijing day ("job\tcampaign" lines)
//	audience/sent/job/<job>        {"campaign":…, "segments":n, "gen":g}
//	audience/sent/seg/<job>/<i>    one segment: run generation, commit time, sorted numbers
//
// Segment i holds the numbers of the job's report part i. A segment is
// written before the job's checkpoint commits that part; it is the only
// store write a part costs, so the checkpoint (which the feed may wait for)
// stays short. Each run of the job starts a new generation and writes
// {segments: parts its checkpoint holds, gen}. Readers take segments below
// that count whatever their generation, and beyond it only those of the
// current generation, in order: the segments a crashed run wrote past its
// checkpoint are ignored, then overwritten by the rows it sends again.
// Nothing is counted twice.
type Ledger struct {
	st  store.Store
	now func() time.Time
}

// NewLedger returns the ledger kept in st; now defaults to time.Now.
func NewLedger(st store.Store, now func() time.Time) *Ledger {
	if now == nil {
		now = time.Now
	}
	return &Ledger{st: st, now: now}
}

type jobRecord struct {
	Campaign string `json:"campaign"`
	Segments int    `json:"segments"` // committed when the run started
	Gen      uint64 `json:"gen"`
}

func dayKey(day string) string            { return "audience/sent/day/" + day }
func jobKey(job string) string            { return "audience/sent/job/" + job }
func segKey(job string, i int) string     { return "audience/sent/seg/" + job + "/" + strconv.Itoa(i) }
func (l *Ledger) nowDay() (string, int64) { t := l.now(); return beijingDay(t), t.Unix() }

// Recorder writes one job's segments.
type Recorder struct {
	l        *Ledger
	job      string
	campaign string
	gen      uint64
	mu       sync.Mutex
	days     map[string]bool
}

// Recorder starts recording job, whose report has committed parts; segments
// from a crashed run beyond them stop counting now.
func (l *Ledger) Recorder(ctx context.Context, job, campaign string, committed int) (*Recorder, error) {
	if strings.ContainsAny(job, "\t\n/") || job == "" {
		return nil, fmt.Errorf("audience: bad job id %q", job)
	}
	r := &Recorder{l: l, job: job, campaign: campaign, days: map[string]bool{}}
	old, err := l.record(ctx, job)
	if err != nil {
		return nil, err
	}
	r.gen = old.Gen + 1
	b, _ := json.Marshal(jobRecord{Campaign: campaign, Segments: committed, Gen: r.gen})
	if err := l.st.Set(ctx, jobKey(job), b, ledgerTTL); err != nil {
		return nil, fmt.Errorf("record sent numbers: %w", err)
	}
	return r, nil
}

// record reads a job's record; the zero record if it has none.
func (l *Ledger) record(ctx context.Context, job string) (jobRecord, error) {
	var rec jobRecord
	b, err := l.st.Get(ctx, jobKey(job))
	if errors.Is(err, store.ErrNotFound) {
		return rec, nil
	}
	if err != nil {
		return rec, fmt.Errorf("read sent ledger: %w", err)
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		return rec, fmt.Errorf("sent ledger job %s: %w", job, errCorruptSeg)
	}
	return rec, nil
}

// Commit records the numbers of report part i (sorted or not). Call it
// before the part is committed in the job's checkpoint, for every part in
// order (an empty part too, so that segments stay contiguous).
func (r *Recorder) Commit(ctx context.Context, i int, keys []uint64) error {
	day, now := r.l.nowDay()
	if err := r.register(ctx, day); err != nil {
		return err
	}
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	b := make([]byte, 0, 16+len(keys)*5)
	b = append(b, segMagic...)
	b = binary.AppendUvarint(b, r.gen)
	b = binary.AppendUvarint(b, uint64(now))
	b = binary.AppendUvarint(b, uint64(len(keys)))
	var prev uint64
	for _, k := range keys {
		b = binary.AppendUvarint(b, k-prev)
		prev = k
	}
	if err := r.l.st.Set(ctx, segKey(r.job, i), b, ledgerTTL); err != nil {
		return fmt.Errorf("record sent numbers: %w", err)
	}
	return nil
}

// register adds the job to the day's index once per day.
func (r *Recorder) register(ctx context.Context, day string) error {
	r.mu.Lock()
	done := r.days[day]
	r.mu.Unlock()
	if done {
		return nil
	}
	line := r.job + "\t" + r.campaign
	err := withLock(ctx, r.l.st, dayKey(day)+".lock", 20*time.Second, func() error {
		cur, err := r.l.st.Get(ctx, dayKey(day))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		for _, l := range strings.Split(string(cur), "\n") {
			if l == line {
				return nil
			}
		}
		next := append(cur, line+"\n"...)
		return r.l.st.Set(ctx, dayKey(day), next, ledgerTTL)
	})
	if err != nil {
		return fmt.Errorf("record sent numbers: %w", err)
	}
	r.mu.Lock()
	r.days[day] = true
	r.mu.Unlock()
	return nil
}

const segMagic = "SEG2"

var errCorruptSeg = errors.New("audience: corrupt ledger segment")

// decodeSeg calls fn with the commit time and each number of a segment.
func decodeSeg(b []byte, at func(int64) bool, fn func(uint64)) error {
	if len(b) < len(segMagic) || string(b[:len(segMagic)]) != segMagic {
		return errCorruptSeg
	}
	b = b[len(segMagic):]
	if _, n := binary.Uvarint(b); n > 0 {
		b = b[n:]
	} else {
		return errCorruptSeg
	}
	t, n := binary.Uvarint(b)
	if n <= 0 {
		return errCorruptSeg
	}
	b = b[n:]
	if !at(int64(t)) {
		return nil
	}
	c, n := binary.Uvarint(b)
	if n <= 0 || c > uint64(len(b)) {
		return errCorruptSeg
	}
	b = b[n:]
	var k uint64
	for range c {
		d, n := binary.Uvarint(b)
		if n <= 0 {
			return errCorruptSeg
		}
		b = b[n:]
		k += d
		fn(k)
	}
	return nil
}

// segRef names one segment to read.
type segRef struct {
	job      string
	campaign string
	i        int
}

// ledgerJob is a job that sent within the window, with its record.
type ledgerJob struct {
	job, campaign string
	rec           jobRecord
}

// jobs lists every job that sent on a Beijing day from since's to today.
func (l *Ledger) jobs(ctx context.Context, since time.Time) ([]ledgerJob, error) {
	now := l.now()
	var jobs []ledgerJob
	seen := map[string]bool{}
	for d := since.In(Beijing); !d.After(now.In(Beijing).Add(24 * time.Hour)); d = d.AddDate(0, 0, 1) {
		b, err := l.st.Get(ctx, dayKey(beijingDay(d)))
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read sent ledger: %w", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			job, campaign, ok := strings.Cut(line, "\t")
			if !ok || seen[job] {
				continue
			}
			seen[job] = true
			jobs = append(jobs, ledgerJob{job: job, campaign: campaign})
		}
	}
	err := parallel(ctx, len(jobs), loadParallel, func(i int) error {
		rec, err := l.record(ctx, jobs[i].job)
		jobs[i].rec = rec
		return err
	})
	return jobs, err
}

// probeBatch is how many segments past a job's committed count are asked
// for at once; a run writes about one a second.
const probeBatch = 16

// scan reads every segment of the window's jobs (a few reads at a time):
// the committed ones, then those the job's current run added, in order.
// It calls size with the total of numbers committed at or after since, then
// fn for each of them. Segments are small (a few bytes a number), so holding
// them all lets the caller size its table once instead of growing it.
func (l *Ledger) scan(ctx context.Context, since time.Time, size func(int), fn func(ref segRef, at int64, k uint64)) error {
	jobs, err := l.jobs(ctx, since)
	if err != nil {
		return err
	}
	var refs []segRef
	for _, j := range jobs {
		for s := range j.rec.Segments {
			refs = append(refs, segRef{job: j.job, campaign: j.campaign, i: s})
		}
	}
	raw := make([][]byte, len(refs))
	err = parallel(ctx, len(refs), loadParallel, func(i int) error {
		b, err := l.st.Get(ctx, segKey(refs[i].job, refs[i].i))
		if errors.Is(err, store.ErrNotFound) {
			return nil // expired
		}
		if err != nil {
			return fmt.Errorf("read sent ledger: %w", err)
		}
		raw[i] = b
		return nil
	})
	if err != nil {
		return err
	}
	for _, j := range jobs {
		tail, err := l.tail(ctx, j)
		if err != nil {
			return err
		}
		for k, b := range tail {
			refs = append(refs, segRef{job: j.job, campaign: j.campaign, i: j.rec.Segments + k})
			raw = append(raw, b)
		}
	}
	from := since.Unix()
	total := 0
	for _, b := range raw {
		if _, t, n, ok := segHeader(b); ok && t >= from {
			total += n
		}
	}
	size(total)
	for i, b := range raw {
		if b == nil {
			continue
		}
		var at int64
		if err := decodeSeg(b, func(t int64) bool { at = t; return t >= from }, func(k uint64) { fn(refs[i], at, k) }); err != nil {
			return fmt.Errorf("sent ledger %s/%d: %w", refs[i].job, refs[i].i, err)
		}
		raw[i] = nil
	}
	return nil
}

// tail reads the segments a job's current run wrote past its committed
// count: consecutive, of the run's generation. The first missing one, or
// one left by an earlier (crashed) run, ends it.
func (l *Ledger) tail(ctx context.Context, j ledgerJob) ([][]byte, error) {
	var out [][]byte
	for from := j.rec.Segments; ; from += probeBatch {
		batch := make([][]byte, probeBatch)
		err := parallel(ctx, probeBatch, probeBatch, func(i int) error {
			b, err := l.st.Get(ctx, segKey(j.job, from+i))
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read sent ledger: %w", err)
			}
			batch[i] = b
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, b := range batch {
			if g, _, _, ok := segHeader(b); !ok || g != j.rec.Gen {
				return out, nil
			}
			out = append(out, b)
		}
	}
}

// segHeader reads a segment's generation, commit time and number count.
func segHeader(b []byte) (gen uint64, at int64, n int, ok bool) {
	if len(b) < len(segMagic) || string(b[:len(segMagic)]) != segMagic {
		return 0, 0, 0, false
	}
	b = b[len(segMagic):]
	g, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, 0, 0, false
	}
	b = b[k:]
	t, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, 0, 0, false
	}
	c, k2 := binary.Uvarint(b[k:])
	if k2 <= 0 || c > uint64(len(b)) {
		return 0, 0, 0, false
	}
	return g, int64(t), int(c), true
}

// counts loads, for every number messaged within c's windows, how many
// messages each rule has seen.
func (l *Ledger) counts(ctx context.Context, c Cap) (*counts, error) {
	now := l.now()
	since := make([]int64, len(c))
	for i, r := range c {
		since[i] = r.since(now).Unix()
	}
	var out *counts
	err := l.scan(ctx, c.lookback(now), func(n int) { out = newCounts(n) }, func(_ segRef, at int64, k uint64) {
		var in uint8
		for i, s := range since {
			if at >= s {
				in |= 1 << i
			}
		}
		out.add(k, in)
	})
	return out, err
}

// LastCampaigns tells, for each number, the campaign that most recently
// messaged it within the last days (a reply answers the latest message).
func (l *Ledger) LastCampaigns(ctx context.Context, keys []uint64, within time.Duration) (map[uint64]string, error) {
	want := make(map[uint64]int64, len(keys))
	for _, k := range keys {
		want[k] = -1
	}
	out := map[uint64]string{}
	err := l.scan(ctx, l.now().Add(-within), func(int) {}, func(ref segRef, at int64, k uint64) {
		if t, ok := want[k]; ok && at >= t {
			want[k] = at
			out[k] = ref.campaign
		}
	})
	return out, err
}
