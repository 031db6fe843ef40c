package followup

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/funnel"
	"github.com/smsjump/smsjump/shared/receipt"
	"github.com/smsjump/smsjump/shared/report"
	"github.com/smsjump/smsjump/shared/send"
	"github.com/smsjump/smsjump/shared/store"
)

// Files of a job's follow-up, under its report prefix.
const (
	LedgerFile   = "receipts.jsonl"
	FunnelFile   = "funnel.json"
	ReportFile   = "report.html"
	DeliveryFile = "delivery.csv"
)

// job matches pending receipts to one job and rewrites its reports when
// something changed or they are due.
func (f *Followup) job(ctx context.Context, b *blob.Bucket, st store.Store, j jobRef, p *pending, stats *Stats) error {
	var sum send.Summary
	ok, err := readJSON(ctx, b, j.ReportPrefix+"summary.json", &sum)
	if err != nil || !ok {
		return err // no summary yet: the job has not started
	}
	var prev report.Funnel
	hadPrev, err := readJSON(ctx, b, j.ReportPrefix+FunnelFile, &prev)
	if err != nil {
		return err
	}
	now := f.o.Now()
	var windowEnd time.Time
	if sum.Finished != "" {
		fin, err := time.Parse(time.RFC3339, sum.Finished)
		if err != nil {
			return fmt.Errorf("summary.json finished %q: %w", sum.Finished, err)
		}
		windowEnd = fin.Add(f.o.Window)
	}
	settled := !windowEnd.IsZero() && !now.Before(windowEnd)
	if hadPrev && prev.Settled {
		// Only late receipts can still concern it, for a while.
		if p.empty() || now.After(windowEnd.Add(f.o.LateGrace)) {
			return nil
		}
		return f.countLate(ctx, b, j, &prev, p, stats)
	}
	due := !hadPrev || now.Sub(prev.Generated) >= f.o.Refresh || settled
	if p.empty() && !due {
		return nil
	}

	ledger, err := readLedger(ctx, b, j.ReportPrefix+LedgerFile)
	if err != nil {
		return err
	}
	rs := prev.Receipts
	snap, codeRows, err := f.opens(ctx, st, sum.Campaign)
	if err != nil {
		return err
	}

	// One pass over result.csv: match receipts to rows and stream
	// delivery.csv. Rows of one job have distinct serial numbers.
	added := 0
	err = scanResults(ctx, b, j.ReportPrefix, func(row send.Result, dw *deliveryWriter) error {
		if row.SerialNo != "" {
			for _, r := range p.bySID[row.SerialNo] {
				if p.done[r.batch][r.i] {
					continue
				}
				p.done[r.batch][r.i] = true
				rc := p.batches[r.batch].Receipts[r.i]
				switch _, dup := ledger[row.SerialNo]; {
				case dup:
					rs.Duplicates++
					stats.Duplicates++
				case !windowEnd.IsZero() && p.batches[r.batch].Arrived.After(windowEnd):
					rs.Late++
					stats.Late++
				default:
					ledger[row.SerialNo] = rc
					rs.Matched++
					stats.Matched++
					added++
				}
			}
		}
		rc, has := ledger[row.SerialNo]
		return dw.row(row, rc, has && row.SerialNo != "", codeRows[row.Row])
	})
	if err != nil {
		return err
	}
	if added > 0 {
		if err := writeLedger(ctx, b, j.ReportPrefix+LedgerFile, ledger); err != nil {
			return err
		}
	}
	fn := build(sum, j.JobID, ledger, snap, codeRows, rs, now, settled)
	if err := f.write(ctx, b, j.ReportPrefix, fn); err != nil {
		return err
	}
	stats.Reports++
	return nil
}

// countLate records receipts for a settled job as late, without touching
// its numbers.
func (f *Followup) countLate(ctx context.Context, b *blob.Bucket, j jobRef, prev *report.Funnel, p *pending, stats *Stats) error {
	late := 0
	err := readResults(ctx, b, j.ReportPrefix+"result.csv", func(row send.Result) error {
		for _, r := range p.bySID[row.SerialNo] {
			if row.SerialNo != "" && !p.done[r.batch][r.i] {
				p.done[r.batch][r.i] = true
				late++
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, blob.ErrNotFound) {
		return err
	}
	if late == 0 {
		return nil
	}
	prev.Receipts.Late += late
	stats.Late += late
	data, _ := json.MarshalIndent(prev, "", "  ")
	return b.WriteAll(ctx, j.ReportPrefix+FunnelFile, data, blob.WriterOptions{ContentType: "application/json"})
}

// opens reads the campaign's counters and maps personal codes to rows.
func (f *Followup) opens(ctx context.Context, st store.Store, campaign string) (funnel.Snapshot, map[int]funnel.Counts, error) {
	if campaign == "" {
		return funnel.Aggregate("", nil), nil, nil
	}
	snap, err := funnel.Read(ctx, st, campaign)
	if err != nil {
		return snap, nil, err
	}
	rows := map[int]funnel.Counts{}
	for code, c := range snap.ByCode {
		row, ok := 0, false
		if r, isRow := strings.CutPrefix(code, funnel.RowPrefix); isRow {
			// An arrival the mini-program reported with its cq's row.
			row, _ = strconv.Atoi(r)
			ok = row > 0
		} else if f.o.CodeRow != nil {
			row, ok = f.o.CodeRow(ctx, code)
		}
		if !ok {
			continue
		}
		if rows[row] == nil {
			rows[row] = funnel.Counts{}
		}
		for e, n := range c {
			rows[row][e] += n
		}
	}
	return snap, rows, nil
}

func (f *Followup) write(ctx context.Context, b *blob.Bucket, prefix string, fn *report.Funnel) error {
	data, _ := json.MarshalIndent(fn, "", "  ")
	if err := b.WriteAll(ctx, prefix+FunnelFile, data, blob.WriterOptions{ContentType: "application/json"}); err != nil {
		return err
	}
	page, err := report.HTML(fn)
	if err != nil {
		return err
	}
	return b.WriteAll(ctx, prefix+ReportFile, page, blob.WriterOptions{ContentType: "text/html; charset=utf-8"})
}

// scanResults calls fn for every row of the job's result.csv while
// delivery.csv is streamed out; a failure leaves the previous delivery.csv
// in place. A job still running has no result.csv yet: nothing happens.
func scanResults(ctx context.Context, b *blob.Bucket, prefix string, fn func(send.Result, *deliveryWriter) error) error {
	r, err := b.NewReader(ctx, prefix+"result.csv")
	if errors.Is(err, blob.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	defer r.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.NewWriter(wctx, prefix+DeliveryFile, blob.WriterOptions{ContentType: "text/csv; charset=utf-8"})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	dw := newDeliveryWriter(bw)
	err = send.ReadResults(bufio.NewReaderSize(r, 64<<10), func(row send.Result) error { return fn(row, dw) })
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		cancel() // abandon the new delivery.csv
		_ = w.Close()
		return err
	}
	return w.Close()
}

func readResults(ctx context.Context, b *blob.Bucket, key string, fn func(send.Result) error) error {
	r, err := b.NewReader(ctx, key)
	if err != nil {
		return err
	}
	defer r.Close()
	return send.ReadResults(bufio.NewReaderSize(r, 64<<10), fn)
}

func readLedger(ctx context.Context, b *blob.Bucket, key string) (map[string]receipt.Receipt, error) {
	out := map[string]receipt.Receipt{}
	data, err := b.ReadAll(ctx, key)
	if errors.Is(err, blob.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var r receipt.Receipt
		if err := dec.Decode(&r); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		out[r.SerialNo] = r
	}
	return out, nil
}

func writeLedger(ctx context.Context, b *blob.Bucket, key string, ledger map[string]receipt.Receipt) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range ledger {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return b.WriteAll(ctx, key, buf.Bytes(), blob.WriterOptions{ContentType: "application/x-ndjson"})
}
