package scheme

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/link"
	"github.com/smsjump/smsjump/shared/scf"
)

// TestLogLine: one line per request with the request id and campaign; a
// personal code is a bearer link and appears only masked.
func TestLogLine(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	e := newEnv(t, nil, nil, nil, func(o *Options) { o.Logger = log })
	code, err := e.links.NewCode(context.Background(), link.Code{Campaign: "spring"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("testdata/apigw.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.Replace(raw, []byte(`"queryString": {"c": "spring"`), []byte(`"queryString": {"c": "spring", "k": "`+code+`"`), 1)
	if resp := scf.ServeEvent(context.Background(), e.svc, raw); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	out := buf.String()
	for _, want := range []string{`"request_id":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef"`, `"campaign":"spring"`, `"code":"` + code[:2] + `****"`, `"status":200`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, code) {
		t.Errorf("log holds the full code %s:\n%s", code, out)
	}
	if strings.Contains(out, "access_token") {
		t.Errorf("log mentions a token:\n%s", out)
	}
}
