package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Pool runs the instances of one function: one invocation per instance at a
// time, idle instances reused (package state survives, as on SCF), new ones
// started up to Config.MaxInstances, after which callers wait.
type Pool struct {
	cfg    Config
	log    *slog.Logger
	stdout io.Writer
	stderr io.Writer

	slots   chan struct{} // one token per busy instance
	closing chan struct{}

	mu       sync.Mutex
	closed   bool
	idle     []*instance // most recently used last: reuse the warmest
	all      map[*instance]struct{}
	nextID   int
	started  int64
	invoked  int64
	busy     int
	inflight sync.WaitGroup // invocations holding a slot
	procs    sync.WaitGroup // processes not yet reaped
	async    sync.WaitGroup // InvokeAsync runners
}

// NewPool checks cfg and returns a pool; no process starts before the first invocation.
func NewPool(cfg Config) (*Pool, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var outMu sync.Mutex
	return &Pool{
		cfg:     cfg,
		log:     cfg.Logger.With("function", cfg.Name),
		stdout:  syncWriter{&outMu, cfg.Stdout},
		stderr:  syncWriter{&outMu, cfg.Stderr},
		slots:   make(chan struct{}, cfg.MaxInstances),
		closing: make(chan struct{}),
		all:     make(map[*instance]struct{}),
	}, nil
}

// Stats is a snapshot of a pool.
type Stats struct {
	Instances   int   // running processes (busy, idle or starting)
	Busy        int   // instances serving an invocation or starting for one
	Started     int64 // processes ever started, cold starts included retries
	Invocations int64 // invocations handed to an instance
}

// Stats reports the pool's current state.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Instances: len(p.all), Busy: p.busy, Started: p.started, Invocations: p.invoked}
}

// Invoke runs the function once, synchronously, and returns its JSON result.
// A handler error is a *FunctionError; a timeout matches ErrTimeout; a lost
// instance ErrTransport; an instance that would not start ErrStart. If ctx ends
// first Invoke returns its error at once, while the instance stays busy until
// the function returns or times out, as on SCF.
func (p *Pool) Invoke(ctx context.Context, payload []byte, opt InvokeOptions) ([]byte, error) {
	if opt.RequestID == "" {
		opt.RequestID = newRequestID()
	}
	if len(payload) > MaxSyncPayload {
		return nil, fmt.Errorf("invoke %s: event of %d bytes exceeds %d: %w", p.cfg.Name, len(payload), MaxSyncPayload, ErrPayloadTooLarge)
	}
	return p.invoke(ctx, payload, opt)
}

type outcome struct {
	payload []byte
	err     error
}

func (p *Pool) invoke(ctx context.Context, payload []byte, opt InvokeOptions) ([]byte, error) {
	begin := time.Now()
	in, cold, err := p.acquire(ctx)
	if err != nil {
		return nil, p.invokeErr(opt.RequestID, err)
	}
	p.mu.Lock()
	p.invoked++
	p.mu.Unlock()
	// The clock starts when the instance is ready, as SCF bills and times it.
	deadline := time.Now().Add(p.cfg.Timeout)
	req, err := p.request(payload, opt.RequestID, opt, deadline)
	if err != nil {
		p.release(in, true)
		return nil, fmt.Errorf("invoke %s (request %s): %w", p.cfg.Name, opt.RequestID, err)
	}
	done := make(chan outcome, 1)
	go func() {
		out, reusable, err := in.invoke(req, deadline, p.cfg.Timeout)
		if err == nil && len(out) > MaxSyncPayload {
			err = fmt.Errorf("response of %d bytes exceeds %d: %w", len(out), MaxSyncPayload, ErrPayloadTooLarge)
			out = nil
		}
		p.release(in, reusable)
		p.logInvocation(opt.RequestID, in.id, cold, time.Since(begin), err)
		done <- outcome{out, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return nil, p.invokeErr(opt.RequestID, o.err)
		}
		return o.payload, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("invoke %s (request %s): %w", p.cfg.Name, opt.RequestID, context.Cause(ctx))
	}
}

// invokeErr adds context, and ErrClosed when the failure is Close's doing.
func (p *Pool) invokeErr(reqID string, err error) error {
	if p.isClosed() && !errors.Is(err, ErrClosed) {
		err = fmt.Errorf("%w: %w", ErrClosed, err)
	}
	return fmt.Errorf("invoke %s (request %s): %w", p.cfg.Name, reqID, err)
}

func (p *Pool) logInvocation(reqID string, id int, cold bool, d time.Duration, err error) {
	attrs := []any{"request_id", reqID, "instance", id, "cold_start", cold, "duration_ms", d.Milliseconds()}
	if err != nil {
		p.log.Warn("invocation failed", append(attrs, "err", err)...)
		return
	}
	p.log.Debug("invocation done", attrs...)
}

// acquire takes a slot, then an idle instance or a new one. It reports whether
// the instance was started for this call.
func (p *Pool) acquire(ctx context.Context) (*instance, bool, error) {
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, false, context.Cause(ctx)
	case <-p.closing:
		return nil, false, ErrClosed
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return nil, false, ErrClosed
	}
	p.inflight.Add(1)
	p.busy++
	for len(p.idle) > 0 {
		in := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if in.usable() {
			p.mu.Unlock()
			return in, false, nil
		}
		// Died while idle (killed from outside, crashed in a goroutine): SCF would
		// replace it, so do we.
		p.forgetLocked(in)
	}
	p.nextID++
	p.started++
	id := p.nextID
	p.mu.Unlock()

	in, err := p.start(ctx, id)
	if err != nil {
		p.mu.Lock()
		p.busy--
		p.mu.Unlock()
		<-p.slots
		p.inflight.Done()
		return nil, false, err
	}
	return in, true, nil
}

// release returns the instance to the idle list or retires it.
func (p *Pool) release(in *instance, reusable bool) {
	p.mu.Lock()
	p.busy--
	if reusable && !p.closed && in.usable() {
		p.idle = append(p.idle, in)
	} else {
		p.forgetLocked(in)
	}
	p.mu.Unlock()
	<-p.slots
	p.inflight.Done()
}

// track registers a started process; false if the pool is closed.
func (p *Pool) track(in *instance) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.all[in] = struct{}{}
	p.procs.Add(1)
	return true
}

// forgetLocked retires an instance and drops it from the pool; the reaper
// goroutine finishes it off.
func (p *Pool) forgetLocked(in *instance) {
	in.retire()
	delete(p.all, in)
}

func (p *Pool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// Close kills every instance and its process group, ends pending async
// retries with ErrClosed and waits until every process is reaped. Calls after
// the first return nil at once.
func (p *Pool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.closing)
	for in := range p.all {
		in.retire()
	}
	p.all = map[*instance]struct{}{}
	p.idle = nil
	p.mu.Unlock()

	p.inflight.Wait()
	p.procs.Wait()
	p.async.Wait()
	return nil
}
