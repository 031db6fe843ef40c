package progress

import (
	"strings"
	"testing"
	"time"
)

func TestLineRewritesAndPrintsAbove(t *testing.T) {
	var b strings.Builder
	l := New(&b, true, time.Hour)
	l.Set("检查 50%", true)
	l.Set("检查 60%", false) // within the interval: not drawn
	l.Set("检查 7%", true)
	l.Print("完成")
	want := "\r检查 50%\r检查 7% \r        \r完成\n"
	if b.String() != want {
		t.Fatalf("got %q\nwant %q", b.String(), want)
	}
}

func TestLineSilentOffTerminal(t *testing.T) {
	var b strings.Builder
	l := New(&b, false, 0)
	l.Set("检查 50%", true)
	l.Print("完成")
	if b.String() != "完成\n" {
		t.Fatalf("got %q", b.String())
	}
}

func TestRate(t *testing.T) {
	if _, ok := Rate(26e9, time.Millisecond, 500*time.Millisecond); ok {
		t.Fatal("a rate after 1 ms was shown")
	}
	if r, ok := Rate(22e6, time.Second, 500*time.Millisecond); !ok || r != 22e6 {
		t.Fatalf("Rate = %v, %v", r, ok)
	}
}
