// Package hosttest runs a function's built binary in a test the way SCF
// does, through the runtime host, so every function's end-to-end tests
// start it the same way.
package hosttest

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/scf/host"
)

// Start builds the function's main package in dir (usually ".") into a
// temporary file, hosts it with cfg (Binary set; Stdout and Stderr default
// to the test log) and closes the pool when the test ends.
func Start(t testing.TB, dir string, cfg host.Config) *host.Pool {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the function binary")
	}
	cfg.Binary = filepath.Join(t.TempDir(), cfg.Name)
	if err := host.Build(context.Background(), dir, cfg.Binary); err != nil {
		t.Fatal(err)
	}
	if cfg.Stdout == nil {
		cfg.Stdout = Writer(t)
	}
	if cfg.Stderr == nil {
		cfg.Stderr = Writer(t)
	}
	pool, err := host.NewPool(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// Writer sends what is written to it to the test log, a line per write.
func Writer(t testing.TB) io.Writer { return logWriter{t} }

type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
