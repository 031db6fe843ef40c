package send

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/excelcsv"
	"github.com/smsjump/smsjump/shared/phone"
)

// partWriter writes finished rows, in row order, into numbered parts under
// reports/<name>/.parts/. A part becomes visible only when committed (the
// blob writer's Close), which a checkpoint does before it records the part,
// so a crash loses at most rows the checkpoint does not claim.
type partWriter struct {
	ctx    context.Context
	bucket *blob.Bucket
	prefix string // reports/<name>/.parts/
	next   int    // number of the part being written
	cur    *openPart
	line   []byte
	// recordSent: the audience wants each part's messaged numbers (a
	// marketing job's sent ledger); other jobs skip collecting them.
	recordSent bool
	lastSent   int // numbers the previous part collected, to size the next
}

type openPart struct {
	key string
	w   io.WriteCloser
	bw  *bufio.Writer
	// sent are the numbers (phone.Key) of the part's rows that were (or may
	// have been) messaged, for the audience's sent ledger.
	sent []uint64
}

func partKey(prefix string, n int) string { return fmt.Sprintf("%s%08d.csv", prefix, n) }

func (p *partWriter) write(r *Result) error {
	if p.cur == nil {
		key := partKey(p.prefix, p.next)
		w, err := p.bucket.NewWriter(p.ctx, key, blob.WriterOptions{ContentType: "text/csv; charset=utf-8"})
		if err != nil {
			return fmt.Errorf("open report part %s: %w", key, err)
		}
		p.cur = &openPart{key: key, w: w, bw: bufio.NewWriterSize(w, 64<<10)}
		if p.recordSent {
			p.cur.sent = make([]uint64, 0, p.lastSent+p.lastSent/4)
		}
	}
	if p.recordSent && (r.State == StateSent || r.State == StateUnknown) {
		if k, ok := phone.Key(r.Phone); ok {
			p.cur.sent = append(p.cur.sent, k)
		}
	}
	p.line = r.appendCSV(p.line[:0])
	_, err := p.cur.bw.Write(p.line)
	return err
}

// detach hands the open part over for commit and returns the number of
// committed parts once it is closed.
func (p *partWriter) detach() (*openPart, int) {
	cur := p.cur
	if cur != nil {
		p.cur = nil
		p.next++
		p.lastSent = len(cur.sent)
	}
	return cur, p.next
}

// commit makes the part visible.
func (op *openPart) commit() error {
	if err := op.bw.Flush(); err != nil {
		op.w.Close()
		return fmt.Errorf("write report part %s: %w", op.key, err)
	}
	if err := op.w.Close(); err != nil {
		return fmt.Errorf("commit report part %s: %w", op.key, err)
	}
	return nil
}

// mergeParts writes result.csv: a BOM, the header, then parts 0..n-1 in
// order. Each part holds a contiguous run of rows and parts follow each
// other in row order, so the k-way merge by row degenerates to a
// concatenation, streamed with constant memory.
//
// With fl, duplicate rows get the line they repeat (see dupNumbers).
//
// A merge that fails leaves dst as it was: the writer's context is
// cancelled before Close, which then discards the object instead of
// committing a truncated result.csv over a good one.
func mergeParts(ctx context.Context, b *blob.Bucket, partsPrefix string, n int, dst string, fl *firstLines) error {
	wctx, abandon := context.WithCancel(ctx)
	defer abandon()
	w, err := b.NewWriter(wctx, dst, blob.WriterOptions{ContentType: "text/csv; charset=utf-8"})
	if err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(excelcsv.BOM)
	for i, h := range resultHeader {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(h)
	}
	bw.WriteString("\r\n")
	for i := range n {
		if err := copyPart(ctx, b, partKey(partsPrefix, i), bw, fl); err != nil {
			abandon()
			w.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		abandon()
		w.Close()
		return fmt.Errorf("write %s: %w", dst, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("commit %s: %w", dst, err)
	}
	return nil
}

func copyPart(ctx context.Context, b *blob.Bucket, key string, w *bufio.Writer, fl *firstLines) error {
	r, err := b.NewReader(ctx, key)
	if err != nil {
		return fmt.Errorf("read report part %s: %w", key, err)
	}
	defer r.Close()
	if fl != nil {
		if err := fl.copyPart(r, w); err != nil {
			return fmt.Errorf("copy report part %s: %w", key, err)
		}
		return nil
	}
	if _, err := io.Copy(w, r); err != nil {
		return fmt.Errorf("copy report part %s: %w", key, err)
	}
	return nil
}

// deleteParts removes the parts once result.csv holds them, and any part a
// crashed run wrote but never recorded.
func deleteParts(ctx context.Context, b *blob.Bucket, partsPrefix string) error {
	for a, err := range b.List(ctx, partsPrefix) {
		if err != nil {
			return fmt.Errorf("list report parts: %w", err)
		}
		if err := b.Delete(ctx, a.Key); err != nil {
			return fmt.Errorf("delete report part %s: %w", a.Key, err)
		}
	}
	return nil
}
