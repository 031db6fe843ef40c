package host

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestInvokeEcho(t *testing.T) {
	p := newTestPool(t, nil)
	for _, v := range []string{"hello", "", "短信打开小程序 138****8000", strings.Repeat("x", 1<<20)} {
		got := call(t, p, fnRequest{Op: "echo", Value: v})
		if got.Echo != v {
			t.Errorf("echo of %d bytes: got %d bytes", len(v), len(got.Echo))
		}
	}
	if s := p.Stats(); s.Started != 1 || s.Invocations != 4 || s.Instances != 1 || s.Busy != 0 {
		t.Errorf("stats = %+v, want one instance serving 4 invocations", s)
	}
}

func TestFunctionError(t *testing.T) {
	p := newTestPool(t, nil)
	_, err := tryCall(t, p, fnRequest{Op: "error"}, InvokeOptions{})
	var fe *FunctionError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *FunctionError", err)
	}
	if fe.Type != "quotaError" || fe.Message != "quota exhausted, 0 left" || fe.ShouldExit {
		t.Errorf("FunctionError = %+v", fe)
	}
	for _, kind := range []error{ErrTransport, ErrTimeout, ErrStart, ErrClosed} {
		if errors.Is(err, kind) {
			t.Errorf("function error matches %v", kind)
		}
	}
	// A plain error does not retire the instance.
	if got := call(t, p, fnRequest{Op: "count"}); got.Count != 1 {
		t.Errorf("count after error = %d, want 1 on the same instance", got.Count)
	}
	if s := p.Stats(); s.Started != 1 {
		t.Errorf("started = %d, want 1", s.Started)
	}
}

func TestInstanceReuse(t *testing.T) {
	p := newTestPool(t, nil)
	first := call(t, p, fnRequest{Op: "count"})
	for want := int64(2); want <= 5; want++ {
		got := call(t, p, fnRequest{Op: "count"})
		if got.Count != want || got.PID != first.PID {
			t.Fatalf("invocation %d: count %d pid %d, want count %d pid %d", want, got.Count, got.PID, want, first.PID)
		}
	}
}

// TestRestartAfterFailure checks that each way of losing an instance retires
// it and that the next invocation gets a fresh process (package state reset).
func TestRestartAfterFailure(t *testing.T) {
	tests := []struct {
		name  string
		brk   func(t *testing.T, p *Pool, pid int) error
		check func(t *testing.T, err error)
	}{
		{
			name: "panic",
			brk: func(t *testing.T, p *Pool, _ int) error {
				_, err := tryCall(t, p, fnRequest{Op: "panic", Value: "x"}, InvokeOptions{})
				return err
			},
			check: func(t *testing.T, err error) {
				var fe *FunctionError
				if !errors.As(err, &fe) || !fe.ShouldExit || fe.Message != "boom: x" || len(fe.StackTrace) == 0 {
					t.Errorf("err = %#v, want panic FunctionError with ShouldExit and a stack", err)
				}
			},
		},
		{
			name: "exit",
			brk: func(t *testing.T, p *Pool, _ int) error {
				_, err := tryCall(t, p, fnRequest{Op: "exit", Code: 7}, InvokeOptions{})
				return err
			},
			check: func(t *testing.T, err error) {
				var ie *InstanceError
				if !errors.Is(err, ErrTransport) || !errors.As(err, &ie) {
					t.Fatalf("err = %v, want ErrTransport", err)
				}
				if ie.Exit != "exit status 7" || !strings.Contains(ie.Stderr, "fatal: exiting on request") {
					t.Errorf("exit %q, stderr %q", ie.Exit, ie.Stderr)
				}
				var fe *FunctionError
				if errors.As(err, &fe) {
					t.Errorf("transport error is also a FunctionError")
				}
			},
		},
		{
			name: "timeout",
			brk: func(t *testing.T, p *Pool, _ int) error {
				_, err := tryCall(t, p, fnRequest{Op: "sleep", MS: 10_000}, InvokeOptions{RequestID: "req-1"})
				return err
			},
			check: func(t *testing.T, err error) {
				var te *TimeoutError
				if !errors.Is(err, ErrTimeout) || !errors.As(err, &te) {
					t.Fatalf("err = %v, want ErrTimeout", err)
				}
				if !strings.Contains(err.Error(), "Invoking task timed out after 300ms") || te.RequestID != "req-1" {
					t.Errorf("err = %q", err)
				}
			},
		},
		{
			name: "killed while idle",
			brk: func(t *testing.T, p *Pool, pid int) error {
				if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				waitGone(t, pid, false) // reaped by the pool
				return nil
			},
			check: func(t *testing.T, err error) {
				if err != nil {
					t.Errorf("err = %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPool(t, func(c *Config) { c.Timeout = 300 * time.Millisecond })
			call(t, p, fnRequest{Op: "count"})
			before := call(t, p, fnRequest{Op: "count"})
			if before.Count != 2 {
				t.Fatalf("count = %d before breaking", before.Count)
			}
			tt.check(t, tt.brk(t, p, before.PID))
			waitGone(t, before.PID, false)
			after := call(t, p, fnRequest{Op: "count"})
			if after.Count != 1 || after.PID == before.PID {
				t.Errorf("after restart: count %d pid %d, want count 1 on a new pid (old %d)", after.Count, after.PID, before.PID)
			}
			if s := p.Stats(); s.Started != 2 || s.Instances != 1 {
				t.Errorf("stats = %+v, want 2 started, 1 running", s)
			}
		})
	}
}

func TestDeadlineAndContext(t *testing.T) {
	const timeout = 2 * time.Second
	p := newTestPool(t, func(c *Config) {
		c.Name = "get-scheme"
		c.Timeout = timeout
		c.MemoryMB = 256
		c.Region = "ap-shanghai"
	})
	call(t, p, fnRequest{Op: "echo"}) // warm, so the window below excludes the start
	before := time.Now()
	got, err := tryCall(t, p, fnRequest{Op: "deadline"}, InvokeOptions{RequestID: "rid-42"})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	dl := time.Unix(0, got.Deadline)
	if !got.HasDL || dl.Before(before.Add(timeout)) || dl.After(after.Add(timeout)) {
		t.Errorf("deadline %v outside [%v, %v]", dl, before.Add(timeout), after.Add(timeout))
	}
	want := map[string]string{
		"request_id": "rid-42", "function_name": "get-scheme", "namespace": "default",
		"version": "$LATEST", "memory": "256", "time_limit": "2000", "region": "ap-shanghai",
		"global_name": "get-scheme",
	}
	for k, v := range want {
		if got.Context[k] != v {
			t.Errorf("context %s = %q, want %q", k, got.Context[k], v)
		}
	}

	// Without a RequestID one is generated, a fresh one per call.
	a, _ := tryCall(t, p, fnRequest{Op: "deadline"}, InvokeOptions{})
	b, _ := tryCall(t, p, fnRequest{Op: "deadline"}, InvokeOptions{})
	if !uuidRE.MatchString(a.Context["request_id"]) || a.Context["request_id"] == b.Context["request_id"] {
		t.Errorf("generated request ids %q, %q", a.Context["request_id"], b.Context["request_id"])
	}
}

func TestEnvironment(t *testing.T) {
	t.Setenv("SMSJUMP_HOST_LEAK", "from the developer's shell")
	p := newTestPool(t, func(c *Config) {
		c.Name = "send-sms"
		c.Env = map[string]string{"STORE_URL": "mem://", "TENCENTCLOUD_SECRETID": "AKIDtest"}
	})
	tests := []struct {
		name, env string
		perCall   map[string]string
		want      string
	}{
		{"configured", "STORE_URL", nil, "mem://"},
		{"configured overrides built-in", "TENCENTCLOUD_SECRETID", nil, "AKIDtest"},
		{"built-in run env", "TENCENTCLOUD_RUNENV", nil, "SCF"},
		{"built-in name", "SCF_FUNCTIONNAME", nil, "send-sms"},
		{"built-in region", "TENCENTCLOUD_REGION", nil, DefaultRegion},
		{"timezone", "TZ", nil, "UTC"},
		{"host env not inherited", "SMSJUMP_HOST_LEAK", nil, ""},
		{"per invocation", "TRIGGER_SRC", map[string]string{"TRIGGER_SRC": "timer"}, "timer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tryCall(t, p, fnRequest{Op: "env", Name: tt.env}, InvokeOptions{Environment: tt.perCall})
			if err != nil {
				t.Fatal(err)
			}
			if got.Env != tt.want {
				t.Errorf("%s = %q, want %q", tt.env, got.Env, tt.want)
			}
		})
	}
}

func TestStartFailure(t *testing.T) {
	t.Run("exits during init", func(t *testing.T) {
		p := newTestPool(t, func(c *Config) { c.Env = map[string]string{"FN_FAIL_INIT": "1"} })
		_, err := tryCall(t, p, fnRequest{Op: "echo"}, InvokeOptions{})
		var ie *InstanceError
		if !errors.Is(err, ErrStart) || !errors.As(err, &ie) {
			t.Fatalf("err = %v, want ErrStart", err)
		}
		if ie.Exit != "exit status 3" || !strings.Contains(err.Error(), "WECHAT_APPID is not set") {
			t.Errorf("err = %q", err)
		}
		if s := p.Stats(); s.Instances != 0 || s.Busy != 0 {
			t.Errorf("stats after failed start = %+v", s)
		}
	})
	t.Run("never answers Ping", func(t *testing.T) {
		dir := t.TempDir()
		pidFile := filepath.Join(dir, "pid")
		script := filepath.Join(dir, "mute")
		body := "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 60\n"
		if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
		p := newTestPool(t, func(c *Config) { c.Binary = script; c.StartTimeout = 300 * time.Millisecond })
		_, err := p.Invoke(context.Background(), []byte(`{}`), InvokeOptions{})
		if !errors.Is(err, ErrStart) || !strings.Contains(err.Error(), "no Ping answer within 300ms") {
			t.Fatalf("err = %v, want ErrStart after the start timeout", err)
		}
		b, err := os.ReadFile(pidFile)
		if err != nil {
			t.Fatal(err)
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		waitGone(t, pid, false)
	})
}

func TestInvokeContextEnds(t *testing.T) {
	p := newTestPool(t, nil)
	call(t, p, fnRequest{Op: "echo"}) // warm: ctx must end during the call, not the start
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := p.Invoke(ctx, payload(t, fnRequest{Op: "sleep", MS: 400}), InvokeOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	// The instance finishes the abandoned call and then serves the next one.
	call(t, p, fnRequest{Op: "echo"})
	if s := p.Stats(); s.Started != 1 {
		t.Errorf("started = %d, want the instance kept", s.Started)
	}
}

func TestPayloadTooLarge(t *testing.T) {
	p := newTestPool(t, nil)
	_, err := p.Invoke(context.Background(), make([]byte, MaxSyncPayload+1), InvokeOptions{})
	if !errors.Is(err, ErrPayloadTooLarge) {
		t.Fatalf("err = %v, want ErrPayloadTooLarge", err)
	}
	if s := p.Stats(); s.Started != 0 {
		t.Errorf("an instance was started for a rejected event")
	}
}

func TestOutputForwarding(t *testing.T) {
	var out lockedBuffer // one sink for both streams, as the emulator's terminal
	p := newTestPool(t, func(c *Config) { c.Name = "token-refresh"; c.Stdout = &out; c.Stderr = &out })
	call(t, p, fnRequest{Op: "print", Value: "hello"})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[token-refresh#1] out: hello\n", "[token-refresh#1] err: hello (done)\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q lacks %q", out.String(), want)
		}
	}
}

// The answer never overtakes the output written before it: when Invoke
// returns, every line the function printed before answering has reached
// Stdout, however slow Stdout is (the emulator prints a job's summary on
// the answer and its events from the log lines).
func TestOutputBeforeAnswer(t *testing.T) {
	out := &slowBuffer{delay: time.Millisecond}
	p := newTestPool(t, func(c *Config) { c.Stdout = out })
	for round := 1; round <= 3; round++ {
		const n = 150
		call(t, p, fnRequest{Op: "lines", Until: n})
		if got := strings.Count(out.String(), " of 150\n"); got != n*round {
			t.Fatalf("round %d: %d lines had reached Stdout when Invoke returned, want %d", round, got, n*round)
		}
	}
}

func TestNewPoolInvalidConfig(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(notExec, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no name", Config{Binary: fnBinary}},
		{"no binary", Config{Name: "fn"}},
		{"missing binary", Config{Name: "fn", Binary: "/nonexistent/fn"}},
		{"not executable", Config{Name: "fn", Binary: notExec}},
		{"directory", Config{Name: "fn", Binary: t.TempDir()}},
		{"negative timeout", Config{Name: "fn", Binary: fnBinary, Timeout: -time.Second}},
		{"timeout too long", Config{Name: "fn", Binary: fnBinary, Timeout: 25 * time.Hour}},
		{"memory too small", Config{Name: "fn", Binary: fnBinary, MemoryMB: 32}},
		{"memory too large", Config{Name: "fn", Binary: fnBinary, MemoryMB: 4096}},
		{"negative instances", Config{Name: "fn", Binary: fnBinary, MaxInstances: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewPool(tt.cfg); !errors.Is(err, ErrInvalidConfig) {
				t.Errorf("err = %v, want ErrInvalidConfig", err)
			}
		})
	}
}
