package link

import (
	"context"
	"testing"
)

func BenchmarkResolveForged(b *testing.B) {
	r := NewRegistry(newStore(b), nil, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_, _ = r.Resolve(ctx, "ABCDEFG0")
	}
}

func BenchmarkResolveKnown(b *testing.B) {
	r := NewRegistry(newStore(b), nil, Options{})
	ctx := context.Background()
	code, err := r.NewCode(ctx, Code{Campaign: "spring", CQ: "sms"}, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Resolve(ctx, code); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewCode(b *testing.B) {
	r := NewRegistry(newStore(b), nil, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.NewCode(ctx, Code{Campaign: "spring"}, 0); err != nil {
			b.Fatal(err)
		}
	}
}
