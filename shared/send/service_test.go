package send

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func cosEvent(bucket, appid, key string) []byte {
	return fmt.Appendf(nil, `{"Records":[{"cos":{"cosObject":{"url":"http://%s-%s.cos.ap-guangzhou.myqcloud.com/%s","key":"/%s/%s/%s","size":1},"cosBucket":{"region":"gz","name":"%s","appid":"%s"}},"event":{"eventName":"cos:ObjectCreated:Put","eventTime":1}}]}`,
		bucket, appid, key, appid, bucket, key, bucket, appid)
}

func TestHandleRoutesEvents(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.BucketName, o.KeyPrefix = "smsjump-1250000000", "campaigns/" }, nil)
	e.put("uploads/a.csv", []byte(plainCSV(3)))
	e.putManifest("a", noticeManifest)
	tests := []struct {
		name  string
		event []byte
		jobs  int
	}{
		{"another bucket", cosEvent("other", "1250000000", "campaigns/uploads/a.csv"), 0},
		{"outside the prefix", cosEvent("smsjump", "1250000000", "uploads/a.csv"), 0},
		{"a manifest", cosEvent("smsjump", "1250000000", "campaigns/uploads/a.json"), 0},
		{"a report", cosEvent("smsjump", "1250000000", "campaigns/reports/a/result.csv"), 0},
		{"the upload", cosEvent("smsjump", "1250000000", "campaigns/uploads/a.csv"), 1},
		{"malformed", []byte(`{"Records":[{"cos":{"cosObject":{"key":3}}}]}`), 0},
		{"timer with nothing due", []byte(`{"Type":"Timer","TriggerName":"t","Time":"2026-03-02T02:00:00Z"}`), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply, err := e.svc.Handle(context.Background(), tt.event)
			if err != nil || len(reply.Jobs) != tt.jobs {
				t.Fatalf("%+v %v", reply, err)
			}
		})
	}
	if e.srv.Count() != 3 {
		t.Errorf("outbox %d", e.srv.Count())
	}
}

func TestUploadKeys(t *testing.T) {
	tests := []struct {
		key  string
		ok   bool
		name string
	}{
		{"uploads/spring.csv", true, "spring"},
		{"uploads/2026/春季.CSV", true, "2026/春季"},
		{"uploads/.csv", false, ""},
		{"uploads/.hidden.csv", false, ""},
		{"uploads/a/../b.csv", false, ""},
		{"uploads/a.json", false, ""},
		{"reports/a.csv", false, ""},
	}
	for _, tt := range tests {
		if got := IsUploadKey(tt.key); got != tt.ok {
			t.Errorf("IsUploadKey(%q) = %v", tt.key, got)
		}
		if tt.ok {
			u := Upload{Key: tt.key}
			if u.Name() != tt.name || !strings.HasPrefix(u.ReportPrefix(), "reports/"+tt.name+"/") {
				t.Errorf("%q: name %q", tt.key, u.Name())
			}
		}
	}
	a := Upload{Bucket: "b", Key: "uploads/x.csv", ETag: "1"}
	b := Upload{Bucket: "b", Key: "uploads/x.csv", ETag: "2"}
	if a.JobID() == b.JobID() || a.JobID() != (Upload{Bucket: "b", Key: "uploads/x.csv", ETag: "1"}).JobID() {
		t.Error("job id is not hash(bucket, key, etag)")
	}
	if normalizeETag(`"abc"`) != "abc" || normalizeETag(`W/"abc"`) != "abc" {
		t.Error("etag quotes")
	}
}

func TestLease(t *testing.T) {
	e := newEnv(t, nil, nil)
	ctx := context.Background()
	l1, err := acquireLease(ctx, e.st, "job", 200*time.Millisecond)
	if err != nil || l1 == nil {
		t.Fatal(l1, err)
	}
	if l2, err := acquireLease(ctx, e.st, "job", time.Second); err != nil || l2 != nil {
		t.Fatal("second owner got the lease")
	}
	if err := l1.renew(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // expired, nobody took it: renew takes it back
	if err := l1.renew(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	l3, err := acquireLease(ctx, e.st, "job", time.Second)
	if err != nil || l3 == nil {
		t.Fatal("lease did not expire")
	}
	if err := l1.renew(ctx); err != ErrLeaseLost {
		t.Fatalf("renew by the old owner: %v", err)
	}
	l1.release(ctx) // not its lease any more: a no-op
	if l4, _ := acquireLease(ctx, e.st, "job", time.Second); l4 != nil {
		t.Fatal("old owner released the new owner's lease")
	}
	l3.release(ctx)
	if l5, _ := acquireLease(ctx, e.st, "job", time.Second); l5 == nil {
		t.Fatal("release did not free the lease")
	}
}

func TestBrokenCSVFailsWithClearSummary(t *testing.T) {
	e := newEnv(t, nil, nil)
	e.put("uploads/nophone.csv", []byte("name,city\n张三,北京\n"))
	e.putManifest("nophone", noticeManifest)
	if out := e.run(context.Background(), "nophone"); out.Status != StatusFailed {
		t.Fatalf("%+v", out)
	}
	s := e.summary("nophone")
	if s.Error == nil || s.Error.Reason != "invalid_csv" || !strings.Contains(s.Error.Detail, "phone") {
		t.Fatalf("error %+v", s.Error)
	}
	if rows := e.results("nophone"); len(rows) != 0 {
		t.Fatalf("rows %+v", rows)
	}
}
