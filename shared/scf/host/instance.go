package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tencentyun/scf-go-lib/cloudfunction/messages"
)

const (
	stderrTail  = 4 << 10
	pingTimeout = time.Second
	// startAttempts covers the rare case where the free port found by the host
	// is taken by someone else before the function binds it.
	startAttempts = 3
)

// instance is one running function process and its RPC connection. The pool
// hands an instance to one invocation at a time.
type instance struct {
	id     int
	name   string
	pid    int
	cmd    *exec.Cmd
	client *rpc.Client
	stderr *tailBuffer
	outs   []*lineWriter
	pipes  []*outPipe

	exited  chan struct{} // closed once the process is reaped
	exitErr error         // cmd.Wait's result, valid after exited

	mu      sync.Mutex
	reaped  bool // the pid may have been reused: never signal it again
	retired bool // killed on purpose; a late connection must be closed
}

// spawn starts the process and registers it with the pool. It does not wait
// for the function to answer; see ready.
func (p *Pool) spawn(id, port int) (*instance, error) {
	in := &instance{
		id:     id,
		name:   p.cfg.Name,
		stderr: &tailBuffer{size: stderrTail},
		exited: make(chan struct{}),
	}
	prefix := fmt.Sprintf("[%s#%d] ", p.cfg.Name, id)
	stdout := newLineWriter(prefix, p.stdout)
	stderr := newLineWriter(prefix, p.stderr)
	in.outs = []*lineWriter{stdout, stderr}

	outP, outW, err := newOutPipe(stdout)
	if err != nil {
		return nil, &InstanceError{Kind: ErrStart, Function: in.name, Instance: id, Op: "pipe", Err: err}
	}
	errP, errW, err := newOutPipe(io.MultiWriter(in.stderr, stderr))
	if err != nil {
		outP.r.Close()
		outW.Close()
		return nil, &InstanceError{Kind: ErrStart, Function: in.name, Instance: id, Op: "pipe", Err: err}
	}
	cmd := exec.Command(p.cfg.Binary)
	cmd.Dir = p.cfg.Dir
	cmd.Env = p.cfg.processEnv(port)
	cmd.Stdout = outW
	cmd.Stderr = errW
	cmd.SysProcAttr = sysProcAttr()
	err = cmd.Start()
	// The child has its copies; ours would keep the pipes from ever ending.
	outW.Close()
	errW.Close()
	if err != nil {
		outP.r.Close()
		errP.r.Close()
		return nil, &InstanceError{Kind: ErrStart, Function: in.name, Instance: id, Op: "start", Err: err}
	}
	in.pipes = []*outPipe{outP, errP}
	go outP.copy()
	go errP.copy()
	in.cmd = cmd
	in.pid = cmd.Process.Pid

	if !p.track(in) {
		// Close ran meanwhile: it will not wait for this process, so reap it here.
		in.kill()
		in.reap()
		return nil, fmt.Errorf("start %s#%d: %w", in.name, id, ErrClosed)
	}
	go func() {
		defer p.procs.Done()
		in.reap()
	}()
	return in, nil
}

// reap waits for the process to exit, kills what is left of its group and
// releases the pid.
func (in *instance) reap() {
	exitedUnreaped := awaitExit(in.pid)
	in.mu.Lock()
	if exitedUnreaped {
		killGroup(in.pid) // orphans the function spawned and did not wait for
	}
	in.reaped = true
	in.mu.Unlock()
	in.exitErr = in.cmd.Wait()
	// The process group is killed on exit, so the pipes end promptly; the
	// grace only bounds this if a descendant escaped the group with them.
	for _, p := range in.pipes {
		p.wait(time.Second)
	}
	for _, w := range in.outs {
		w.Flush()
	}
	close(in.exited)
}

// drainOutput forwards what the process wrote before now, so that an
// answer is never seen before the log lines that preceded it.
func (in *instance) drainOutput() {
	for _, p := range in.pipes {
		p.drain()
	}
}

// kill stops the process and everything in its group. It is safe to call at
// any time and more than once.
func (in *instance) kill() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if !in.reaped {
		killGroup(in.pid)
	}
}

// retire kills the instance and drops its connection.
func (in *instance) retire() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.retired = true
	if !in.reaped {
		killGroup(in.pid)
	}
	if in.client != nil {
		_ = in.client.Close()
	}
}

// connected stores the ready connection unless the instance was retired while
// starting.
func (in *instance) connected(client *rpc.Client) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.retired {
		_ = client.Close()
		return false
	}
	in.client = client
	return true
}

// usable reports whether the instance may take an invocation. It turns
// false as soon as the reaper sees the process exit, before cmd.Wait
// releases the pid: alive alone stays true until the reaper is done, so a
// process already gone from /proc could still be handed an invocation.
func (in *instance) usable() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return !in.reaped
}

func (in *instance) alive() bool {
	select {
	case <-in.exited:
		return false
	default:
		return true
	}
}

// exitStatus describes how the process ended, or "" if it still runs.
func (in *instance) exitStatus() string {
	if in.alive() {
		return ""
	}
	var ee *exec.ExitError
	if errors.As(in.exitErr, &ee) {
		return ee.ProcessState.String()
	}
	if in.exitErr != nil {
		return in.exitErr.Error()
	}
	return "exit status 0"
}

func (in *instance) fail(kind error, op string, err error) *InstanceError {
	return &InstanceError{
		Kind: kind, Function: in.name, Instance: in.id, Op: op,
		Exit: in.exitStatus(), Stderr: in.stderr.String(), Err: err,
	}
}

// ready polls until Function.Ping answers on port, the process exits, ctx ends
// or the start timeout passes. scf-go-lib listens on 0.0.0.0, so loopback reaches it.
func (in *instance) ready(ctx context.Context, port int, timeout time.Duration) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	backoff := time.Millisecond
	var lastErr error
	for {
		client, err := dialPing(addr)
		if err == nil {
			if in.connected(client) {
				return nil
			}
			err = errors.New("instance retired while starting")
		}
		lastErr = err
		select {
		case <-in.exited:
			return in.fail(ErrStart, "start", errors.New("process exited before answering Ping"))
		case <-ctx.Done():
			in.kill()
			return fmt.Errorf("start %s#%d: %w", in.name, in.id, context.Cause(ctx))
		case <-deadline.C:
			in.kill()
			<-in.exited
			return in.fail(ErrStart, "start", fmt.Errorf("no Ping answer within %s: %w", timeout, lastErr))
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 50*time.Millisecond)
	}
}

func dialPing(addr string) (*rpc.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, pingTimeout)
	if err != nil {
		return nil, err
	}
	client := rpc.NewClient(conn)
	call := client.Go("Function.Ping", &messages.PingRequest{}, &messages.PingResponse{}, make(chan *rpc.Call, 1))
	select {
	case <-call.Done:
		err = call.Error
	case <-time.After(pingTimeout):
		// Something that is not the function may hold the port and never answer.
		err = errors.New("ping: no answer")
	}
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	return client, nil
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs a new instance and waits until it is ready.
func (p *Pool) start(ctx context.Context, id int) (*instance, error) {
	var err error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		var port int
		if port, err = freePort(); err != nil {
			return nil, &InstanceError{Kind: ErrStart, Function: p.cfg.Name, Instance: id, Op: "start", Err: fmt.Errorf("find a free port: %w", err)}
		}
		var in *instance
		if in, err = p.spawn(id, port); err != nil {
			return nil, err
		}
		if err = in.ready(ctx, port, p.cfg.StartTimeout); err == nil {
			return in, nil
		}
		p.mu.Lock()
		p.forgetLocked(in)
		p.mu.Unlock()
		if !strings.Contains(in.stderr.String(), "address already in use") {
			break
		}
	}
	return nil, err
}
