package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fnBinary is testdata/fn, built once by TestMain.
var fnBinary string

// fnServer is the runtime-protocol server the test function runs: the suite
// runs once against scf-go-lib's own cloudfunction.Start and once against
// shared/scf/serve, which the functions use, so every host test proves both
// speak the same protocol.
var fnServer string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "host-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	fnBinary = filepath.Join(dir, "fn")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := Build(ctx, "testdata/fn", fnBinary); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := 0
	for _, srv := range []string{"scf-go-lib", "smsjump"} {
		fnServer = srv
		fmt.Fprintf(os.Stderr, "host tests: function served by %s\n", srv)
		if c := m.Run(); c != 0 {
			code = c
		}
	}
	return code
}

// fnRequest and fnResponse mirror the test function's payload types.
type fnRequest struct {
	Op    string `json:"op"`
	Value string `json:"value,omitempty"`
	MS    int    `json:"ms,omitempty"`
	Code  int    `json:"code,omitempty"`
	Name  string `json:"name,omitempty"`
	File  string `json:"file,omitempty"`
	Until int    `json:"until,omitempty"`
}

type fnResponse struct {
	Echo     string            `json:"echo"`
	Count    int64             `json:"count"`
	PID      int               `json:"pid"`
	ChildPID int               `json:"child_pid"`
	Env      string            `json:"env"`
	Deadline int64             `json:"deadline_unix_nano"`
	Context  map[string]string `json:"context"`
	Attempt  int               `json:"attempt"`
	HasDL    bool              `json:"has_deadline"`
}

func newTestPool(t testing.TB, edit func(*Config)) *Pool {
	t.Helper()
	cfg := Config{Name: "fn", Binary: fnBinary, Timeout: 5 * time.Second, MaxInstances: 1, Logger: slog.New(slog.DiscardHandler)}
	if edit != nil {
		edit(&cfg)
	}
	env := map[string]string{"FN_SERVER": fnServer}
	for k, v := range cfg.Env {
		env[k] = v
	}
	cfg.Env = env
	p, err := NewPool(cfg)
	if err != nil {
		t.Fatalf("NewPool: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func payload(t testing.TB, req fnRequest) []byte {
	t.Helper()
	b, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// call invokes req and fails the test on any error.
func call(t testing.TB, p *Pool, req fnRequest) fnResponse {
	t.Helper()
	resp, err := tryCall(t, p, req, InvokeOptions{})
	if err != nil {
		t.Fatalf("invoke %s: %v", req.Op, err)
	}
	return resp
}

func tryCall(t testing.TB, p *Pool, req fnRequest, opt InvokeOptions) (fnResponse, error) {
	t.Helper()
	out, err := p.Invoke(context.Background(), payload(t, req), opt)
	if err != nil {
		return fnResponse{}, err
	}
	var resp fnResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	return resp, nil
}

// procState returns the state letter of pid from /proc ("R", "S", "Z"…), or ""
// if there is no such process.
func procState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name is in parentheses and may hold spaces: the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return "?"
	}
	return s[i+2 : i+3]
}

// waitGone waits until pid has exited. Zombies count as gone when allowZombie:
// a killed grandchild is reparented to init, which may be slow to reap it.
func waitGone(t *testing.T, pid int, allowZombie bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := procState(pid)
		if st == "" || (allowZombie && st == "Z") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d still exists (state %s)", pid, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lockedBuffer is a bytes.Buffer safe for the concurrent writers of a test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// slowBuffer is a lockedBuffer whose every Write takes delay, as a terminal
// or log file that cannot keep up.
type slowBuffer struct {
	lockedBuffer
	delay time.Duration
}

func (s *slowBuffer) Write(p []byte) (int, error) {
	time.Sleep(s.delay)
	return s.lockedBuffer.Write(p)
}
