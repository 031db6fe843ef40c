package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/smsjump/smsjump/scripts/dev/zh"
	"github.com/smsjump/smsjump/shared/scf/host"
)

// Function names: directories under functions/ and handler names in serverless.yml.
const (
	fnGetScheme    = "get-scheme"
	fnSendSMS      = "send-sms"
	fnTokenRefresh = "token-refresh"
)

// fnSpec is a function as serverless.yml deploys it (timeout and memory are
// kept equal to it by TestSpecsMatchServerless).
type fnSpec struct {
	name         string
	timeout      time.Duration
	memoryMB     int
	maxInstances int
}

var fnSpecs = []fnSpec{
	{name: fnGetScheme, timeout: 10 * time.Second, memoryMB: 128, maxInstances: 8},
	// One job at a time per campaign is send-sms's own lease; two instances
	// let a resume timer run beside a fresh upload, as on SCF.
	{name: fnSendSMS, timeout: 900 * time.Second, memoryMB: 256, maxInstances: 2},
	{name: fnTokenRefresh, timeout: 30 * time.Second, memoryMB: 64, maxInstances: 1},
}

// functions are the running pools by name; a function whose directory does
// not exist yet is absent.
type functions struct {
	pools map[string]*host.Pool
}

func (f *functions) get(name string) (*host.Pool, bool) {
	p, ok := f.pools[name]
	return p, ok
}

// buildFunctions compiles every function under repo/functions that has a
// directory into lay.bin(), and reports the ones missing.
func buildFunctions(ctx context.Context, repo string, lay layout, out io.Writer) (built, missing []fnSpec, err error) {
	for _, s := range fnSpecs {
		dir := filepath.Join(repo, "functions", s.name)
		if _, err := os.Stat(filepath.Join(dir, "main.go")); err != nil {
			missing = append(missing, s)
			continue
		}
		start := time.Now()
		if err := host.Build(ctx, dir, lay.binary(s.name)); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(out, "  已编译 %-14s %s\n", s.name, zh.Duration(time.Since(start)))
		built = append(built, s)
	}
	return built, missing, nil
}

// startFunctions makes a pool per built function; instances start on the
// first invocation, as on SCF.
func startFunctions(specs []fnSpec, lay layout, env map[string]string, stdout, stderr io.Writer, log *slog.Logger) (*functions, error) {
	f := &functions{pools: map[string]*host.Pool{}}
	for _, s := range specs {
		p, err := host.NewPool(host.Config{
			Name:         s.name,
			Binary:       lay.binary(s.name),
			Env:          env,
			Timeout:      s.timeout,
			MemoryMB:     s.memoryMB,
			MaxInstances: s.maxInstances,
			Region:       sandboxRegion,
			AppID:        "1250000000",
			Stdout:       stdout,
			Stderr:       stderr,
			Logger:       log,
		})
		if err != nil {
			f.Close()
			return nil, err
		}
		f.pools[s.name] = p
	}
	return f, nil
}

// Close kills every instance (and its process group) and waits for them.
func (f *functions) Close() {
	for _, p := range f.pools {
		_ = p.Close()
	}
}
