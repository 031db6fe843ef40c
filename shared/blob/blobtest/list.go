package blobtest

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

func listKeys(t *testing.T, b *blob.Bucket, prefix string) []string {
	t.Helper()
	var keys []string
	for a, err := range b.List(t.Context(), prefix) {
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		if a.Key == "" || a.ETag == "" || a.ModTime.IsZero() {
			t.Errorf("List(%q) gave incomplete attrs %+v", prefix, a)
		}
		keys = append(keys, a.Key)
	}
	return keys
}

func testList(t *testing.T, h *harness) {
	b := h.open(t)
	for _, k := range []string{"a/b", "a/b/c", "a/bc", "a-c", "a/b/d/e", "b", "ab"} {
		write(t, b, k+"/x.csv", k, "")
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"", []string{"a-c/x.csv", "a/b/c/x.csv", "a/b/d/e/x.csv", "a/b/x.csv", "a/bc/x.csv", "ab/x.csv", "b/x.csv"}},
		{"a/", []string{"a/b/c/x.csv", "a/b/d/e/x.csv", "a/b/x.csv", "a/bc/x.csv"}},
		{"a/b", []string{"a/b/c/x.csv", "a/b/d/e/x.csv", "a/b/x.csv", "a/bc/x.csv"}},
		{"a/b/", []string{"a/b/c/x.csv", "a/b/d/e/x.csv", "a/b/x.csv"}},
		{"a", []string{"a-c/x.csv", "a/b/c/x.csv", "a/b/d/e/x.csv", "a/b/x.csv", "a/bc/x.csv", "ab/x.csv"}},
		{"a/b/x.csv", []string{"a/b/x.csv"}},
		{"zzz/", nil},
	}
	for _, tt := range tests {
		if got := listKeys(t, b, tt.prefix); !slices.Equal(got, tt.want) {
			t.Errorf("List(%q) = %q, want %q (byte order)", tt.prefix, got, tt.want)
		}
	}
	// Stopping early must be fine.
	for range b.List(t.Context(), "") {
		break
	}
}

func testListPagination(t *testing.T, h *harness) {
	b := h.open(t)
	n := h.opts.ManyKeys
	want := make([]string, n)
	for i := range n {
		want[i] = fmt.Sprintf("many/%05d.csv", i)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan string)
	)
	for range 8 {
		wg.Go(func() {
			for k := range next {
				if err := b.WriteAll(t.Context(), k, []byte(k), blob.WriterOptions{}); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for _, k := range want {
		next <- k
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d writes failed, first: %v", len(errs), errs[0])
	}
	write(t, b, "other/x", "x", "")
	if got := listKeys(t, b, "many/"); !slices.Equal(got, want) {
		t.Fatalf("listed %d keys, want %d in order (first %q)", len(got), n, got[:min(3, len(got))])
	}
}
