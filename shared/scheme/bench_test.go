package scheme

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/tencentyun/scf-go-lib/functioncontext"

	"github.com/smsjump/smsjump/shared/internal/cputime"
	"github.com/smsjump/smsjump/shared/logging"
	"github.com/smsjump/smsjump/shared/scf"
)

// warmEnv is an instance whose cache already holds the spring target.
func warmEnv(b *testing.B, opts ...envOption) (*env, []byte) {
	e := newEnv(b, nil, nil, nil, append([]envOption{func(o *Options) { o.RatePerMinute = 0 }}, opts...)...)
	raw, err := os.ReadFile("testdata/function_url.json")
	if err != nil {
		b.Fatal(err)
	}
	if resp := scf.ServeEvent(context.Background(), e.svc, raw); resp.StatusCode != 200 {
		b.Fatalf("warm-up: %d %s", resp.StatusCode, resp.Body)
	}
	return e, raw
}

// BenchmarkWarmHitSCF: a Function URL event for a cached target, decoded,
// served and encoded by the SCF adapter, as one SCF instance handles it.
func BenchmarkWarmHitSCF(b *testing.B) {
	e, raw := warmEnv(b)
	inv := scf.HTTPInvoker(e.svc)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := inv.Invoke(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
	if n := e.generated(); n != 1 {
		b.Fatalf("generatescheme calls = %d, want 1", n)
	}
}

// BenchmarkWarmHitSCFLogged is BenchmarkWarmHitSCF with the production
// logger (JSON lines, the request id from the invocation's context) writing
// to io.Discard instead of stdout: issue 12's goal is ≤ 4 µs, ≤ 20 allocs.
// cpu-µs/op is the process's CPU time (the collector's included) per hit.
func BenchmarkWarmHitSCFLogged(b *testing.B) {
	e, raw := warmEnv(b, func(o *Options) { o.Logger = logging.New(io.Discard, true, slog.LevelInfo) })
	inv := scf.HTTPInvoker(e.svc)
	ctx := functioncontext.NewContext(context.Background(), &functioncontext.FunctionContext{RequestID: "b5c1d6e0-2d5b-4f2c-9a8e-1f0e3c2b1a00"})
	b.ReportAllocs()
	stop := cputime.PerOp(b)
	for b.Loop() {
		if _, err := inv.Invoke(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
	stop()
}

// BenchmarkWarmHitSCFParallel: the same on every core, reported as
// requests per second of this machine.
func BenchmarkWarmHitSCFParallel(b *testing.B) {
	e, raw := warmEnv(b)
	inv := scf.HTTPInvoker(e.svc)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := inv.Invoke(ctx, raw); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkOpenWarm: the service alone, without HTTP or SCF encoding.
func BenchmarkOpenWarm(b *testing.B) {
	e, _ := warmEnv(b)
	ctx := context.Background()
	req := Request{Campaign: "spring", CQ: "sms"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.Open(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForgedCode: the cost of rejecting a well-formed unknown code.
func BenchmarkForgedCode(b *testing.B) {
	e, _ := warmEnv(b)
	ctx := context.Background()
	req := Request{Campaign: "spring", Code: "ABCDEFGH"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.svc.Open(ctx, req); KindOf(err) != ErrInvalidLink {
			b.Fatal(err)
		}
	}
}
