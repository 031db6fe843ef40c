package blob_test

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/cos/costest"
)

const benchSize = 100 << 20

// pattern is a cheap endless source, so the benchmarks measure the bucket.
type pattern struct{}

func (pattern) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte('a' + i%26)
	}
	return len(p), nil
}

func stream(ctx context.Context, b *blob.Bucket, key string, size int64) error {
	w, err := b.NewWriter(ctx, key, blob.WriterOptions{ContentType: "text/csv"})
	if err != nil {
		return err
	}
	if _, err := io.CopyBuffer(struct{ io.Writer }{w}, io.LimitReader(pattern{}, size), make([]byte, 64<<10)); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

func drain(ctx context.Context, b *blob.Bucket, key string) (int64, error) {
	r, err := b.NewReader(ctx, key)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, make([]byte, 64<<10))
}

func benchWrite(b *testing.B, bk *blob.Bucket) {
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := stream(b.Context(), bk, "bench/100mb.csv", benchSize); err != nil {
			b.Fatal(err)
		}
	}
}

func benchRead(b *testing.B, bk *blob.Bucket) {
	if err := stream(b.Context(), bk, "bench/100mb.csv", benchSize); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if n, err := drain(b.Context(), bk, "bench/100mb.csv"); err != nil || n != benchSize {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkFileWrite100MB(b *testing.B) { benchWrite(b, openFile(b, b.TempDir())) }
func BenchmarkFileRead100MB(b *testing.B)  { benchRead(b, openFile(b, b.TempDir())) }
func BenchmarkCOSWrite100MB(b *testing.B)  { benchWrite(b, openCOS(b)) }
func BenchmarkCOSRead100MB(b *testing.B)   { benchRead(b, openCOS(b)) }

// TestBlobPeakRSS streams 100 MB through each backend and checks the
// process's peak resident memory (VmHWM) stays under 64 MB, the smallest
// SCF memory size. Run it alone, since VmHWM covers the whole process:
//
//	SMSJUMP_BENCH=1 go test -run TestBlobPeakRSS -v ./shared/blob/
func TestBlobPeakRSS(t *testing.T) {
	if os.Getenv("SMSJUMP_BENCH") != "1" {
		t.Skip("set SMSJUMP_BENCH=1 to measure peak memory")
	}
	const limitKB = 64 << 10
	ctx := t.Context()
	backends := map[string]func() *blob.Bucket{
		"file": func() *blob.Bucket { return openFile(t, t.TempDir()) },
	}
	if os.Getenv(costest.EnvEndpoint) != "" || os.Getenv(costest.EnvRequire) == "1" {
		backends["cos"] = func() *blob.Bucket { return openCOS(t) }
	}
	for _, name := range []string{"file", "cos"} {
		open, ok := backends[name]
		if !ok {
			t.Logf("%s: skipped (no S3 test server)", name)
			continue
		}
		b := open()
		if err := stream(ctx, b, "rss/100mb.csv", benchSize); err != nil {
			t.Fatalf("%s write: %v", name, err)
		}
		afterWrite := vmHWM(t)
		if n, err := drain(ctx, b, "rss/100mb.csv"); err != nil || n != benchSize {
			t.Fatalf("%s read: %d, %v", name, n, err)
		}
		afterRead := vmHWM(t)
		t.Logf("%s: peak RSS after 100 MB write %d KB, after read %d KB", name, afterWrite, afterRead)
		if afterRead > limitKB {
			t.Errorf("%s: peak RSS %d KB exceeds %d KB", name, afterRead, limitKB)
		}
	}
}

// vmHWM returns the process's peak resident set size in KB.
func vmHWM(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("VmHWM not in /proc/self/status")
	return 0
}
