package blobtest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

func testMissingKey(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	_, err := b.NewReader(ctx, "missing.csv")
	mustNotFound(t, "NewReader", err)
	_, err = b.NewRangeReader(ctx, "missing.csv", 10, 5)
	mustNotFound(t, "NewRangeReader", err)
	_, err = b.Stat(ctx, "missing.csv")
	mustNotFound(t, "Stat", err)
	_, err = b.ReadAll(ctx, "dir/missing.csv")
	mustNotFound(t, "ReadAll", err)
	write(t, b, "file", "x", "")
	_, err = b.Stat(ctx, "file/under-a-file")
	mustNotFound(t, "Stat under an object", err)
	if err := b.Delete(ctx, "missing.csv"); err != nil {
		t.Errorf("Delete of a missing key: %v", err)
	}
}

func testWriteRead(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	const data = "phone,name\n13800138000,张三\n"
	// Streamed in small writes, as a CSV writer does.
	w, err := b.NewWriter(ctx, "reports/r1/result.csv", blob.WriterOptions{ContentType: "text/csv; charset=utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		if _, err := io.WriteString(w, line); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := read(t, b, "reports/r1/result.csv"); got != data {
		t.Errorf("read %q, want %q", got, data)
	}
	a, err := b.Stat(ctx, "reports/r1/result.csv")
	if err != nil {
		t.Fatal(err)
	}
	if a.Key != "reports/r1/result.csv" || a.Size != int64(len(data)) || a.ETag == "" || a.ModTime.IsZero() {
		t.Errorf("Stat = %+v", a)
	}
	if a.ContentType != "text/csv; charset=utf-8" {
		t.Errorf("ContentType = %q", a.ContentType)
	}
	write(t, b, "summary.json", `{"rows":1}`, "")
	if a, err := b.Stat(ctx, "summary.json"); err != nil || a.ContentType == "" {
		t.Errorf("Stat without a content type = %+v, %v; want some type", a, err)
	}
}

func testEmptyObject(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	write(t, b, "empty", "", "")
	if got := read(t, b, "empty"); got != "" {
		t.Errorf("read %q", got)
	}
	if a, err := b.Stat(ctx, "empty"); err != nil || a.Size != 0 {
		t.Errorf("Stat = %+v, %v", a, err)
	}
	for _, r := range [][2]int64{{0, -1}, {0, 10}, {5, -1}, {0, 0}} {
		if got, err := readRange(ctx, b, "empty", r[0], r[1]); err != nil || got != "" {
			t.Errorf("range %v of an empty object = %q, %v", r, got, err)
		}
	}
}

func testOverwrite(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	write(t, b, "progress.json", `{"done":1}`, "application/json")
	a1, err := b.Stat(ctx, "progress.json")
	if err != nil {
		t.Fatal(err)
	}
	write(t, b, "progress.json", `{"done":1000}`, "application/json")
	a2, err := b.Stat(ctx, "progress.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, b, "progress.json"); got != `{"done":1000}` {
		t.Errorf("read %q after overwrite", got)
	}
	if a2.Size != 13 || a1.ETag == a2.ETag {
		t.Errorf("after overwrite: size %d, etag %q then %q; want 13 and a new etag", a2.Size, a1.ETag, a2.ETag)
	}
	if err := b.Delete(ctx, "progress.json"); err != nil {
		t.Fatal(err)
	}
	_, err = b.Stat(ctx, "progress.json")
	mustNotFound(t, "Stat after Delete", err)
}

func testRanges(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	const data = "0123456789abcdefghij" // 20 bytes
	write(t, b, "r", data, "")
	tests := []struct {
		name   string
		off, n int64
		want   string
	}{
		{"whole", 0, -1, data},
		{"start", 0, 5, "01234"},
		{"middle", 7, 6, "789abc"},
		{"to end", 15, -1, "fghij"},
		{"longer than the rest", 18, 100, "ij"},
		{"last byte", 19, 1, "j"},
		{"zero length", 4, 0, ""},
		{"at end", 20, -1, ""},
		{"at end with length", 20, 5, ""},
		{"past end", 25, -1, ""},
	}
	for _, tt := range tests {
		got, err := readRange(ctx, b, "r", tt.off, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("%s (%d, %d) = %q, %v; want %q", tt.name, tt.off, tt.n, got, err, tt.want)
		}
	}
}

func testInvalidArguments(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	write(t, b, "x", "data", "")
	if _, err := b.NewRangeReader(ctx, "x", -1, 1); !errors.Is(err, blob.ErrInvalidArgument) {
		t.Errorf("negative offset: %v", err)
	}
	if _, err := b.NewRangeReader(ctx, "x", 0, -2); !errors.Is(err, blob.ErrInvalidArgument) {
		t.Errorf("length -2: %v", err)
	}
	for _, k := range []string{"", "/lead", "trail/", "a//b", "../up", "a/../b", "a/./b", ".", "nul\x00", "tab\tx", "bad\xff", strings.Repeat("k", blob.MaxKeyLen+1)} {
		if _, err := b.NewWriter(ctx, k, blob.WriterOptions{}); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("NewWriter(%q): %v, want ErrInvalidKey", k, err)
		}
		if _, err := b.Stat(ctx, k); !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("Stat(%q): %v, want ErrInvalidKey", k, err)
		}
	}
	for _, err := range b.List(ctx, "a//") {
		if !errors.Is(err, blob.ErrInvalidKey) {
			t.Errorf("List of a bad prefix: %v", err)
		}
	}
}

func testWeirdKeys(t *testing.T, h *harness) {
	b, ctx := h.open(t), t.Context()
	keys := []string{
		"uploads/春节活动 名单.csv",
		"uploads/with space.csv",
		"uploads/plus+sign&amp=1?.csv",
		"uploads/percent%20encoded.csv",
		"uploads/quote\"'<xml>.csv",
		"uploads/emoji😀.csv",
		"uploads/back\\slash",
		"uploads/..dots..",
		"uploads/~tilde",
		"uploads/" + strings.Repeat("长", 80),
	}
	for i, k := range keys {
		write(t, b, k, fmt.Sprint(i), "")
	}
	var listed []string
	for a, err := range b.List(ctx, "uploads/") {
		if err != nil {
			t.Fatal(err)
		}
		listed = append(listed, a.Key)
	}
	for i, k := range keys {
		if got := read(t, b, k); got != fmt.Sprint(i) {
			t.Errorf("read %q = %q, want %d", k, got, i)
		}
		if a, err := b.Stat(t.Context(), k); err != nil || a.Key != k {
			t.Errorf("Stat(%q) = %+v, %v", k, a, err)
		}
	}
	if len(listed) != len(keys) {
		t.Fatalf("listed %d keys, want %d: %q", len(listed), len(keys), listed)
	}
	seen := map[string]bool{}
	for _, k := range listed {
		seen[k] = true
	}
	for _, k := range keys {
		if !seen[k] {
			t.Errorf("List lost %q; got %q", k, listed)
		}
	}
}
