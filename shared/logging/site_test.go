package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"runtime"
	"testing"
)

// TestSiteSource: a Site reports its caller's line, as Logger.LogAttrs
// does, on the first line and on later ones.
func TestSiteSource(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{AddSource: true}))
	var site Site
	var lines []int
	for range 2 {
		_, _, line, _ := runtime.Caller(0)
		site.LogAttrs(context.Background(), log, slog.LevelInfo, "hot", slog.Int("n", 1))
		lines = append(lines, line+1)
	}
	_, _, line, _ := runtime.Caller(0)
	log.LogAttrs(context.Background(), slog.LevelInfo, "plain", slog.Int("n", 1))
	lines = append(lines, line+1)

	dec := json.NewDecoder(&buf)
	for i, want := range lines {
		var rec struct {
			Source struct {
				Function string `json:"function"`
				Line     int    `json:"line"`
			} `json:"source"`
			N int `json:"n"`
		}
		if err := dec.Decode(&rec); err != nil {
			t.Fatal(err)
		}
		if rec.Source.Line != want || rec.Source.Function != "github.com/smsjump/smsjump/shared/logging.TestSiteSource" || rec.N != 1 {
			t.Errorf("line %d: source %+v n %d, want line %d", i, rec.Source, rec.N, want)
		}
	}
}

func TestSiteLevel(t *testing.T) {
	var buf bytes.Buffer
	var site Site
	site.LogAttrs(context.Background(), New(&buf, true, slog.LevelWarn), slog.LevelInfo, "hidden")
	if buf.Len() != 0 {
		t.Fatalf("info logged at warn level: %s", buf.String())
	}
	site.LogAttrs(nil, New(&buf, true, slog.LevelWarn), slog.LevelWarn, "shown") // slog accepts a nil context too
	if buf.Len() == 0 {
		t.Fatal("warn not logged")
	}
}
