package host

import (
	"context"
	"testing"
)

var echoPayload = []byte(`{"op":"echo","value":"13800138000"}`)

// BenchmarkColdStart measures process start to first invocation served.
func BenchmarkColdStart(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p := newTestPool(b, nil)
		if _, err := p.Invoke(context.Background(), echoPayload, InvokeOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		_ = p.Close()
		b.StartTimer()
	}
}

// BenchmarkInvoke measures the per-invocation overhead on a warm instance.
func BenchmarkInvoke(b *testing.B) {
	p := newTestPool(b, nil)
	if _, err := p.Invoke(context.Background(), echoPayload, InvokeOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Invoke(context.Background(), echoPayload, InvokeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInvokeParallel measures throughput with several warm instances.
func BenchmarkInvokeParallel(b *testing.B) {
	p := newTestPool(b, func(c *Config) { c.MaxInstances = 4 })
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := p.Invoke(context.Background(), echoPayload, InvokeOptions{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
