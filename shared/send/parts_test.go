package send

import (
	"context"
	"testing"

	"github.com/smsjump/smsjump/shared/blob"
)

// A merge that cannot read a part leaves the previous result.csv intact.
func TestFailedMergeKeepsTheGoodResult(t *testing.T) {
	b, err := blob.Open(context.Background(), "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	good := []byte("good result")
	if err := b.WriteAll(ctx, "reports/x/j/result.csv", good, blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteAll(ctx, partKey("reports/x/j/.parts/", 0), []byte("1,+8613900000001,sent\\r\\n"), blob.WriterOptions{}); err != nil {
		t.Fatal(err)
	}
	// Part 1 is missing.
	if err := mergeParts(ctx, b, "reports/x/j/.parts/", 2, "reports/x/j/result.csv", nil); err == nil {
		t.Fatal("merge with a missing part succeeded")
	}
	got, err := b.ReadAll(ctx, "reports/x/j/result.csv")
	if err != nil || string(got) != string(good) {
		t.Fatalf("result.csv after a failed merge: %q %v", got, err)
	}
}
