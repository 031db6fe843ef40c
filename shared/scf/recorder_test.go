package scf

import (
	"context"
	"net/http"
	"testing"
)

// setsHeader sets the header named by the query's h to "1".
var setsHeader = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set(Query(r).Get("h"), "1")
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("ok"))
})

func headerEvent(name string) []byte {
	return []byte(`{"httpMethod":"GET","path":"/","queryString":{"h":"` + name + `"}}`)
}

// TestRecorderHeaderReuse: HTTPInvoker reuses a response's header map for
// the next invocation; nothing of one response's headers reaches the next,
// and a Response that ServeEvent handed out is never touched again.
func TestRecorderHeaderReuse(t *testing.T) {
	quiet(t)
	ctx := context.Background()
	inv := HTTPInvoker(setsHeader)
	kept := ServeEvent(ctx, setsHeader, headerEvent("X-Kept"))
	for i, name := range []string{"", "X-A", "X-B", "", "X-C", "X-A"} {
		event := headerEvent(name)
		if name == "" {
			event = []byte("not JSON") // no handler runs
		}
		out, err := inv.Invoke(ctx, event)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := ParseResponse(out)
		if err != nil {
			t.Fatal(err)
		}
		// The name and Content-Type, or the 400's Content-Type and Cache-Control.
		if len(resp.Headers) != 2 || (name != "" && resp.Headers[name] == nil) {
			t.Errorf("invocation %d (%s): headers %v", i, name, resp.Headers)
		}
	}
	if len(kept.Headers) != 2 || kept.Headers["X-Kept"] == nil {
		t.Errorf("ServeEvent's response changed afterwards: %v", kept.Headers)
	}
}
