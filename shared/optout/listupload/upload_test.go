package listupload

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/audience"
	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/optout"
	"github.com/smsjump/smsjump/shared/phone"
	"github.com/smsjump/smsjump/shared/sms"
	"github.com/smsjump/smsjump/shared/store"
)

func newService(t *testing.T) (*optout.Service, *audience.Audience) {
	t.Helper()
	st, err := store.Open(context.Background(), "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	aud := audience.New(st, nil)
	return optout.New(aud, nil, slog.New(slog.DiscardHandler)), aud
}

func listed(t *testing.T, aud *audience.Audience, raw string) (audience.Entry, bool) {
	t.Helper()
	e, ok := phone.Mainland(raw)
	if !ok {
		t.Fatalf("%q is no mainland mobile number", raw)
	}
	k, _ := phone.Key(e)
	entry, found, err := aud.List.Lookup(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return entry, found
}

func TestSuppressAndUnsuppressUploads(t *testing.T) {
	svc, aud := newService(t)
	up := New(aud, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	b, err := blob.Open(ctx, "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put := func(key, body string) {
		t.Helper()
		if err := b.WriteAll(ctx, key, []byte(body), blob.WriterOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// A reply opt-out that an unsuppress upload must not undo.
	if _, err := svc.Replies(ctx, []sms.Reply{{Phone: "15000150000", Text: "R"}}); err != nil {
		t.Fatal(err)
	}
	put("suppress/vip.csv", "手机号,备注\n13800138000,a\n+86 139-0013-9000,b\n12345,c\n13800138000,dup\n")
	sum, err := up.Handle(ctx, b, "suppress/vip.csv")
	if err != nil || sum.Rows != 4 || sum.Listed != 2 || sum.New != 2 || sum.Rejected != 2 {
		t.Fatalf("suppress = %+v, %v", sum, err)
	}
	if e, ok := listed(t, aud, "13900139000"); !ok || e.Source != audience.SourceUpload || e.Via != "suppress/vip.csv" {
		t.Errorf("entry = %+v, %v", e, ok)
	}
	// The same upload again changes nothing.
	if sum, err := up.Handle(ctx, b, "suppress/vip.csv"); err != nil || sum.New != 0 || sum.Listed != 2 {
		t.Errorf("again = %+v, %v", sum, err)
	}
	rej, err := b.ReadAll(ctx, "reports/_lists/suppress/vip/rejects.csv")
	if err != nil || !strings.Contains(string(rej), "invalid_phone") || !strings.Contains(string(rej), "duplicate") {
		t.Errorf("rejects.csv = %q, %v", rej, err)
	}

	put("unsuppress/fix.csv", "phone\n13800138000\n15000150000\n18600186000\n")
	sum, err = up.Handle(ctx, b, "unsuppress/fix.csv")
	if err != nil || sum.Removed != 1 || sum.Kept != 1 || sum.NotFound != 1 {
		t.Fatalf("unsuppress = %+v, %v", sum, err)
	}
	if _, ok := listed(t, aud, "13800138000"); ok {
		t.Error("unsuppressed number still listed")
	}
	if _, ok := listed(t, aud, "15000150000"); !ok {
		t.Error("a reply opt-out was removed by an operator upload")
	}
	var got map[string]any
	raw, _ := b.ReadAll(ctx, "reports/_lists/unsuppress/fix/summary.json")
	if json.Unmarshal(raw, &got) != nil || got["removed"] != float64(1) {
		t.Errorf("summary.json = %s", raw)
	}

	put("suppress/bad.csv", "name\nfoo\n")
	if sum, err := up.Handle(ctx, b, "suppress/bad.csv"); err != nil || sum.Listed != 0 {
		t.Errorf("headerless = %+v, %v", sum, err)
	}
	if raw, _ := b.ReadAll(ctx, "reports/_lists/suppress/bad/summary.json"); !strings.Contains(string(raw), `"error"`) {
		t.Errorf("bad upload summary = %s", raw)
	}
}

func TestIsKey(t *testing.T) {
	for k, want := range map[string]bool{
		"suppress/a.csv": true, "unsuppress/b.CSV": true, "uploads/a.csv": false,
		"suppress/a.json": false, "suppress/x/a.csv": false, "reports/_lists/suppress/a.csv": false,
	} {
		if IsKey(k) != want {
			t.Errorf("IsKey(%q) = %v", k, !want)
		}
	}
}
