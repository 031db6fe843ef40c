package wechat

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeReply feeds arbitrary bodies and statuses to the reply decoder:
// it must never panic, an errcode always becomes an *Error with that code
// and exactly one kind, and a success always satisfies the reply's check.
func FuzzDecodeReply(f *testing.F) {
	files, _ := filepath.Glob("testdata/replies/*")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 200)
	}
	f.Add([]byte(`{"errcode":0}`), 404)
	f.Add([]byte(`null`), 200)
	f.Add([]byte(`{"errcode":1e3}`), 200)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		outs := []reply{&tokenReply{}, &generateReply{}, &queryReply{queryType: 0}, &queryReply{queryType: 1}}
		for _, out := range outs {
			err := decodeReply(opGenerate, status, body, out)
			if err == nil {
				if status != 200 {
					t.Fatalf("success with HTTP %d", status)
				}
				if cerr := out.check(); cerr != nil {
					t.Fatalf("success but check fails: %v", cerr)
				}
				continue
			}
			if err.Kind == nil || err.Op != opGenerate {
				t.Fatalf("error without kind or op: %#v", err)
			}
			n := 0
			for _, k := range []error{ErrTokenInvalid, ErrRateLimited, ErrConfig, ErrSchemeNotFound, ErrTransient, ErrOpensExhausted} {
				if errors.Is(err, k) {
					n++
				}
			}
			if n != 1 && !errors.Is(err, ErrQuotaExhausted) {
				t.Fatalf("%v matches %d kinds", err, n)
			}
			_ = err.Error()
		}
	})
}

func BenchmarkDecodeReply(b *testing.B) {
	body := []byte(`{"errcode":0,"errmsg":"ok","openlink":"weixin://dl/business/?t=XTSkBZlzqmn"}`)
	b.ReportAllocs()
	for b.Loop() {
		var out generateReply
		if err := decodeReply(opGenerate, 200, body, &out); err != nil {
			b.Fatal(err)
		}
	}
}
