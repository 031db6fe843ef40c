package host

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// invokeParallel runs the requests at once and returns the responses in order.
func invokeParallel(t *testing.T, p *Pool, reqs []fnRequest) []fnResponse {
	t.Helper()
	out := make([]fnResponse, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Go(func() { out[i], errs[i] = tryCall(t, p, r, InvokeOptions{}) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPoolConcurrency(t *testing.T) {
	const n = 4
	p := newTestPool(t, func(c *Config) { c.MaxInstances = n; c.Timeout = 20 * time.Second })
	// Each call returns only when all n are inside the function at once, so
	// they must run on n distinct instances.
	dir := t.TempDir()
	reqs := make([]fnRequest, n)
	for i := range reqs {
		reqs[i] = fnRequest{Op: "barrier", File: dir, Until: n}
	}
	pids := map[int]bool{}
	for _, r := range invokeParallel(t, p, reqs) {
		pids[r.PID] = true
	}
	if len(pids) != n {
		t.Errorf("%d distinct instances served %d parallel calls", len(pids), n)
	}
	if s := p.Stats(); s.Started != n || s.Instances != n || s.Busy != 0 {
		t.Errorf("stats = %+v", s)
	}
	// Warm instances are reused: no new process for the next round.
	invokeParallel(t, p, []fnRequest{{Op: "echo"}, {Op: "echo"}})
	if s := p.Stats(); s.Started != n {
		t.Errorf("started = %d after a warm round, want %d", s.Started, n)
	}
}

func TestPoolMaxInstances(t *testing.T) {
	p := newTestPool(t, func(c *Config) { c.MaxInstances = 2 })
	reqs := make([]fnRequest, 5)
	for i := range reqs {
		reqs[i] = fnRequest{Op: "sleep", MS: 100}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	var peak int
	go func() {
		defer close(done)
		for {
			peak = max(peak, p.Stats().Instances)
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	invokeParallel(t, p, reqs)
	close(stop)
	<-done
	if s := p.Stats(); s.Started > 2 || s.Invocations != 5 {
		t.Errorf("stats = %+v, want at most 2 started for 5 calls", s)
	}
	if peak > 2 {
		t.Errorf("peak of %d instances, limit 2", peak)
	}
}

func TestCloseLeavesNoProcesses(t *testing.T) {
	p := newTestPool(t, func(c *Config) { c.MaxInstances = 3; c.Timeout = 20 * time.Second })
	dir := t.TempDir()
	var pids []int
	for _, r := range invokeParallel(t, p, []fnRequest{{Op: "barrier", File: dir, Until: 3}, {Op: "barrier", File: dir, Until: 3}, {Op: "barrier", File: dir, Until: 3}}) {
		pids = append(pids, r.PID)
	}
	spawned := call(t, p, fnRequest{Op: "spawn"})
	// One instance is busy when Close comes.
	busy := make(chan error, 1)
	go func() {
		_, err := tryCall(t, p, fnRequest{Op: "sleep", MS: 10_000}, InvokeOptions{})
		busy <- err
	}()
	for p.Stats().Busy == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	for _, pid := range pids {
		if st := procState(pid); st != "" {
			t.Errorf("instance %d still in /proc (state %s) after Close", pid, st)
		}
	}
	waitGone(t, spawned.ChildPID, true)
	if err := <-busy; !errors.Is(err, ErrClosed) {
		t.Errorf("busy invocation ended with %v, want ErrClosed", err)
	}
	if s := p.Stats(); s.Instances != 0 {
		t.Errorf("stats after Close = %+v", s)
	}
	if _, err := p.Invoke(context.Background(), []byte(`{"op":"echo"}`), InvokeOptions{}); !errors.Is(err, ErrClosed) {
		t.Errorf("invoke after Close: %v, want ErrClosed", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A timeout kills the whole process group, not only the function.
func TestTimeoutKillsChildren(t *testing.T) {
	p := newTestPool(t, func(c *Config) { c.Timeout = 500 * time.Millisecond })
	spawned := call(t, p, fnRequest{Op: "spawn"})
	if _, err := tryCall(t, p, fnRequest{Op: "sleep", MS: 10_000}, InvokeOptions{}); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	waitGone(t, spawned.PID, false)
	waitGone(t, spawned.ChildPID, true)
}
