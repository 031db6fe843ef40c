package scheme

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tencentyun/scf-go-lib/functioncontext"

	"github.com/smsjump/smsjump/shared/logging"
	"github.com/smsjump/smsjump/shared/scf"
)

// slogRequestID is the production JSON logger as it was before
// logging's hand-written lines: slog.JSONHandler with the SCF request id
// added as the last attribute.
type slogRequestID struct{ slog.Handler }

func (h slogRequestID) Handle(ctx context.Context, r slog.Record) error {
	if fc, ok := functioncontext.FromContext(ctx); ok && fc.RequestID != "" {
		r.AddAttrs(slog.String("request_id", fc.RequestID))
	}
	return h.Handler.Handle(ctx, r)
}

// TestLogLineMatchesSlog: the per-request lines of the production logger
// are byte for byte those slog.JSONHandler wrote, apart from the clock
// (time, ms): served, refused, failed, rate limited, Function URL and API
// Gateway events.
func TestLogLineMatchesSlog(t *testing.T) {
	fu, err := os.ReadFile("testdata/function_url.json")
	if err != nil {
		t.Fatal(err)
	}
	gw, err := os.ReadFile("testdata/apigw.json")
	if err != nil {
		t.Fatal(err)
	}
	events := [][]byte{
		fu, fu, gw,
		bytes.Replace(fu, []byte(`"c":"spring"`), []byte(`"c":"nope"`), 1),
		bytes.Replace(fu, []byte(`"c":"spring"`), []byte(`"c":"over"`), 1),
		bytes.Replace(fu, []byte(`"c":"spring"`), []byte(`"c":"spring","k":"ABCDEFGH"`), 1),
		bytes.Replace(fu, []byte(`"cq":"sms"`), []byte(`"cq":"r=\"<&>\u2028"`), 1),
		fu, fu, fu, // the burst of 8 is used up: rate limited
	}
	ctx := functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{RequestID: "b5c1d6e0-2d5b-4f2c"})
	lines := func(log *slog.Logger, buf *bytes.Buffer) []string {
		e := newEnv(t, nil, nil, nil, func(o *Options) { o.Logger = log; o.RatePerMinute, o.Burst = 1, 8 })
		inv := scf.HTTPInvoker(e.svc)
		for _, ev := range events {
			if _, err := inv.Invoke(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
		var out []string
		for _, l := range strings.SplitAfter(buf.String(), "\n") {
			if strings.Contains(l, `"msg":"get-scheme"`) {
				out = append(out, l)
			}
		}
		return out
	}
	var gotBuf, wantBuf bytes.Buffer
	got := lines(logging.New(&gotBuf, true, slog.LevelInfo), &gotBuf)
	want := lines(slog.New(slogRequestID{slog.NewJSONHandler(&wantBuf, &slog.HandlerOptions{Level: slog.LevelInfo})}), &wantBuf)
	clockFields := regexp.MustCompile(`"time":"[^"]*"|"ms":[0-9]+`)
	if len(got) != len(events) || len(got) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s\nreference:\n%s", len(got), len(events), strings.Join(got, ""), strings.Join(want, ""))
	}
	for i := range got {
		g, w := clockFields.ReplaceAllString(got[i], "…"), clockFields.ReplaceAllString(want[i], "…")
		if g != w {
			t.Errorf("line %d:\n got  %s want %s", i, g, w)
		}
	}
	for _, kind := range []string{`"status":200`, `"status":404`, `"status":410`, `"status":429`, `"gateway_request_id"`, `"request_id":"b5c1d6e0-2d5b-4f2c"`, `"code":"AB****"`} {
		if !strings.Contains(strings.Join(got, ""), kind) {
			t.Errorf("no line has %s:\n%s", kind, strings.Join(got, ""))
		}
	}
}
