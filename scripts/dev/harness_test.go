package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireServers is set by CI: a missing external server fails instead of skipping.
func requireServers() bool { return os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" }

func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if requireServers() {
		t.Fatal(msg + " (SMSJUMP_REQUIRE_SERVERS=1)")
	}
	t.Skip(msg)
}

var (
	buildOnce sync.Once
	buildPath string
	buildErr  error
)

// emulatorBinary builds this command once per test run, as an operator's
// `go run` would.
func emulatorBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "smsjump-dev-bin-")
		if err != nil {
			buildErr = err
			return
		}
		buildPath = filepath.Join(dir, "dev")
		out, err := exec.Command("go", "build", "-o", buildPath, ".").CombinedOutput()
		if err != nil {
			buildErr = &buildError{out: string(out), err: err}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildPath
}

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return "go build ./scripts/dev: " + e.err.Error() + "\n" + e.out }

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// emulatorProc is a running emulator with its output collected line by line.
type emulatorProc struct {
	cmd     *exec.Cmd
	dir     string // working directory; the work dir is dir/.smsjump
	port    int
	exited  chan struct{}
	waitErr error

	mu    sync.Mutex
	lines []string
	grew  chan struct{} // closed and replaced on every new line
}

// startEmulator runs the built emulator from a fresh temp directory (a clean
// tree: no .smsjump) on a free port, and waits until it is ready.
func startEmulator(t *testing.T, args ...string) *emulatorProc {
	t.Helper()
	bin := emulatorBinary(t)
	repo, err := findRepo("")
	if err != nil {
		t.Fatal(err)
	}
	p := &emulatorProc{dir: t.TempDir(), port: freePort(t), exited: make(chan struct{}), grew: make(chan struct{})}
	args = append([]string{"--port", itoa(p.port), "--repo", repo, "--retry-delay", "2s"}, args...)
	p.cmd = exec.Command(bin, args...)
	p.cmd.Dir = p.dir
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logf, err := os.Create(filepath.Join(p.dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = logf
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var copied sync.WaitGroup
	copied.Add(1)
	go func() { defer copied.Done(); p.collect(stdout) }()
	go func() {
		copied.Wait()
		p.waitErr = p.cmd.Wait()
		logf.Close()
		close(p.exited)
	}()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(p.dir, "stderr.log"))
			t.Logf("emulator stdout:\n%s\nstderr (tail):\n%s", p.output(), tail(string(b), 4000))
		}
	})
	// Cold builds of three functions and the page take a while on 2 cores.
	p.waitFor(t, regexp.MustCompile(regexp.QuoteMeta(readyLine)), 1, 4*time.Minute)
	return p
}

func (p *emulatorProc) collect(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		p.mu.Lock()
		p.lines = append(p.lines, sc.Text())
		close(p.grew)
		p.grew = make(chan struct{})
		p.mu.Unlock()
	}
}

func (p *emulatorProc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// matches returns the submatches of re on every output line so far.
func (p *emulatorProc) matches(re *regexp.Regexp) [][]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out [][]string
	for _, l := range p.lines {
		if m := re.FindStringSubmatch(l); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until re matches at least n lines.
func (p *emulatorProc) waitFor(t *testing.T, re *regexp.Regexp, n int, timeout time.Duration) [][]string {
	t.Helper()
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		grew := p.grew
		p.mu.Unlock()
		if m := p.matches(re); len(m) >= n {
			return m
		}
		select {
		case <-grew:
		case <-p.exited:
			if m := p.matches(re); len(m) >= n {
				return m
			}
			t.Fatalf("emulator exited (%v) before %d line(s) matching %q", p.waitErr, n, re)
		case <-deadline:
			t.Fatalf("no %d line(s) matching %q within %s", n, re, timeout)
		}
	}
}

// stop interrupts the emulator and waits for it; it kills it if it hangs.
func (p *emulatorProc) stop(t *testing.T) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Errorf("emulator did not stop within 30 s of SIGINT; killing it")
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
