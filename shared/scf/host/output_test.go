package host

import (
	"bytes"
	"strings"
	"testing"
)

func TestLineWriter(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		chunks []string
		want   string
	}{
		{"one line", maxLine, []string{"hello\n"}, "> hello\n"},
		{"split line", maxLine, []string{"hel", "lo\nwor", "ld\n"}, "> hello\n> world\n"},
		{"several lines in one write", maxLine, []string{"a\nb\nc\n"}, "> a\n> b\n> c\n"},
		{"empty lines", maxLine, []string{"\n\n"}, "> \n> \n"},
		{"unterminated flushed", maxLine, []string{"partial"}, "> partial\n"},
		{"long line cut", 4, []string{"abcdefghij\n"}, "> abcd\n> efgh\n> ij\n"},
		{"long line across writes", 4, []string{"ab", "cdef", "g"}, "> abcd\n> efg\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			lw := newLineWriter("> ", &out)
			lw.max = tt.max
			for _, c := range tt.chunks {
				if n, err := lw.Write([]byte(c)); n != len(c) || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			lw.Flush()
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}

// Whatever the input and however it is split, stripping the prefixes gives the
// input back (plus a final newline) and no line lacks its prefix.
func FuzzLineWriter(f *testing.F) {
	f.Add([]byte("hello\nworld"), uint8(3))
	f.Add([]byte("\n\n\n"), uint8(1))
	f.Add([]byte("no newline at all"), uint8(0))
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		var out bytes.Buffer
		lw := newLineWriter("[fn#1] ", &out)
		step := int(split) + 1
		for i := 0; i < len(in); i += step {
			lw.Write(in[i:min(i+step, len(in))])
		}
		lw.Flush()
		want := string(in)
		if want != "" && !strings.HasSuffix(want, "\n") {
			want += "\n"
		}
		var got strings.Builder
		for _, line := range strings.SplitAfter(out.String(), "\n") {
			if line == "" {
				continue
			}
			rest, ok := strings.CutPrefix(line, "[fn#1] ")
			if !ok {
				t.Fatalf("line %q lacks the prefix", line)
			}
			got.WriteString(rest)
		}
		if got.String() != want {
			t.Fatalf("round trip: got %q, want %q", got.String(), want)
		}
	})
}

func TestTailBuffer(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		writes []string
		want   string
	}{
		{"fits", 10, []string{"abc", "def"}, "abcdef"},
		{"drops the oldest", 5, []string{"abc", "def"}, "bcdef"},
		{"one large write", 3, []string{"abcdef"}, "def"},
		{"exact size", 3, []string{"abc"}, "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &tailBuffer{size: tt.size}
			for _, w := range tt.writes {
				tb.Write([]byte(w))
			}
			if got := tb.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func BenchmarkLineWriter(b *testing.B) {
	chunk := bytes.Repeat([]byte("a log line of moderate length, as functions print\n"), 64)
	lw := newLineWriter("[send-sms#1] ", discard{})
	b.ReportAllocs()
	b.SetBytes(int64(len(chunk)))
	for b.Loop() {
		lw.Write(chunk)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
