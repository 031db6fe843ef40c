package cos_test

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/smsjump/smsjump/shared/cos"
)

// A small object (progress.json, summary.json) goes up in one PutObject and
// costs about its size, not a part buffer: blob writes every report through
// Upload, some of them every few seconds.
func TestSmallUploadDoesNotAllocateAPart(t *testing.T) {
	srv := &faultServer{}
	c := faultClient(t, srv, nil)
	small := bytes.Repeat([]byte("x"), 300)
	upload := func() {
		if _, err := c.Upload(context.Background(), "progress.json", bytes.NewReader(small), cos.UploadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	upload() // warm the connection
	const n = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		upload()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 1<<20 {
		t.Errorf("a 300-byte upload allocated %d bytes; a part is %d", per, cos.DefaultPartSize)
	}
	if got := srv.ops(); got != "PUT,PUT,PUT,PUT,PUT,PUT,PUT,PUT,PUT,PUT,PUT" {
		t.Errorf("server saw %s, want one PutObject per upload", got)
	}
}
