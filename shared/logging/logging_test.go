package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

func TestRequestIDFromSCFContext(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, true, slog.LevelInfo).With("fn", "x")
	ctx := functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{RequestID: "req-1"})
	log.InfoContext(ctx, "hello", "n", 1)
	log.InfoContext(context.Background(), "plain")
	dec := json.NewDecoder(&buf)
	var first, second map[string]any
	if err := dec.Decode(&first); err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(&second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "req-1" || first["fn"] != "x" || first["msg"] != "hello" {
		t.Errorf("first line: %v", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("request id without a context: %v", second)
	}
}

func TestLevel(t *testing.T) {
	var buf bytes.Buffer
	New(&buf, false, slog.LevelWarn).Info("hidden")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
}
