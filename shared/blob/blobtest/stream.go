package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

// generated is a deterministic pseudo-random stream: the suite never holds
// a large object in memory, it regenerates it to compare.
func generated(size int64, seed uint64) io.Reader {
	return io.LimitReader(&prng{r: rand.NewChaCha8([32]byte{byte(seed), 1, 2, 3})}, size)
}

type prng struct{ r *rand.ChaCha8 }

func (p *prng) Read(b []byte) (int, error) { return p.r.Read(b) }

func hashOf(t *testing.T, r io.Reader) ([]byte, int64) {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return h.Sum(nil), n
}

func testLargeStream(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	size := h.opts.LargeSize
	w, err := b.NewWriter(ctx, "big/input.csv", blob.WriterOptions{ContentType: "text/csv"})
	if err != nil {
		t.Fatal(err)
	}
	// 64 KiB writes, like a buffered CSV writer.
	if _, err := io.CopyBuffer(struct{ io.Writer }{w}, generated(size, 1), make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if a, err := b.Stat(ctx, "big/input.csv"); err != nil || a.Size != size {
		t.Fatalf("Stat = %+v, %v; want size %d", a, err, size)
	}
	r, err := b.NewReader(ctx, "big/input.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, n := hashOf(t, r)
	r.Close()
	want, _ := hashOf(t, generated(size, 1))
	if n != size || !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes, hash equal %v; want %d bytes of the same content", n, bytes.Equal(got, want), size)
	}
	// Resume in the middle, as a job restarting from a checkpoint does.
	off := size/2 + 12345
	r, err = b.NewRangeReader(ctx, "big/input.csv", off, -1)
	if err != nil {
		t.Fatal(err)
	}
	got, n = hashOf(t, r)
	r.Close()
	src := generated(size, 1)
	if _, err := io.CopyN(io.Discard, src, off); err != nil {
		t.Fatal(err)
	}
	want, _ = hashOf(t, src)
	if n != size-off || !bytes.Equal(got, want) {
		t.Fatalf("range from %d: %d bytes, hash equal %v", off, n, bytes.Equal(got, want))
	}
}

// testConcurrentOverwrite: readers after concurrent writers see one whole
// version, never a mix or a truncated file.
func testConcurrentOverwrite(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	const writers, size = 4, 256 << 10
	versions := make([][]byte, writers)
	for i := range versions {
		versions[i] = bytes.Repeat([]byte{byte('a' + i)}, size)
	}
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			if err := b.WriteAll(ctx, "hot", versions[i], blob.WriterOptions{}); err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got := read(t, b, "hot")
	for _, v := range versions {
		if got == string(v) {
			return
		}
	}
	t.Fatalf("read %d bytes that match no single version", len(got))
}

func testCancelRead(t *testing.T, h *harness) {
	b := h.open(t)
	write(t, b, "k", "data", "")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := b.NewReader(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("NewReader with a canceled context: %v", err)
	}
	if _, err := b.Stat(ctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Stat with a canceled context: %v", err)
	}
	for _, err := range b.List(ctx, "") {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("List with a canceled context: %v", err)
		}
	}
}

// testCancelWrite: a write abandoned by canceling its context leaves the
// previous object (or nothing) in place.
func testCancelWrite(t *testing.T, h *harness) {
	b := h.open(t)
	write(t, b, "report.csv", "old", "")
	for _, key := range []string{"report.csv", "new.csv"} {
		ctx, cancel := context.WithCancel(t.Context())
		w, err := b.NewWriter(ctx, key, blob.WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.CopyN(w, generated(1<<20, 2), 1<<20)
		cancel()
		// Writes after the cancel may or may not fail; Close must.
		_, _ = io.CopyN(w, generated(1<<20, 3), 1<<20)
		if err := w.Close(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Close after cancel = %v, want context.Canceled", key, err)
		}
	}
	if got := read(t, b, "report.csv"); got != "old" {
		t.Errorf("canceled overwrite changed the object to %d bytes", len(got))
	}
	_, err := b.Stat(t.Context(), "new.csv")
	mustNotFound(t, "a canceled new object", err)
	for a, err := range b.List(t.Context(), "") {
		if err != nil {
			t.Fatal(err)
		}
		if a.Key != "report.csv" {
			t.Errorf("List shows %q after canceled writes", a.Key)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("source broke") }

// testFailedWriteAborts: a caller whose source fails midway abandons the
// small write (under one COS part) by canceling; nothing is committed even
// though the writer itself saw no error.
func testFailedWriteAborts(t *testing.T, h *harness) {
	b := h.open(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	w, err := b.NewWriter(ctx, "partial.csv", blob.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, io.MultiReader(generated(100<<10, 4), failingReader{})); err == nil {
		t.Fatal("copy from a failing source succeeded")
	}
	cancel() // the documented way to abandon a write
	if err := w.Close(); err == nil {
		t.Error("Close committed an abandoned write")
	}
	_, err = b.Stat(t.Context(), "partial.csv")
	mustNotFound(t, "abandoned write", err)
}

func testClosed(t *testing.T, h *harness) {
	b := h.newBucket(t)
	write(t, b, "k", "v", "")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := t.Context()
	if _, err := b.NewReader(ctx, "k"); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("NewReader after Close: %v", err)
	}
	if _, err := b.NewWriter(ctx, "k", blob.WriterOptions{}); !errors.Is(err, blob.ErrClosed) {
		t.Errorf("NewWriter after Close: %v", err)
	}
	for _, err := range b.List(ctx, "") {
		if !errors.Is(err, blob.ErrClosed) {
			t.Errorf("List after Close: %v", err)
		}
	}
}
