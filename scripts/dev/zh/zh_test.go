package zh

import (
	"strings"
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:              "850 毫秒",
		3200 * time.Millisecond:             "3.2 秒",
		12 * time.Second:                    "12 秒",
		5*time.Minute + 34*time.Second:      "5 分 34 秒",
		5 * time.Minute:                     "5 分",
		2*time.Hour + 5*time.Minute:         "2 小时 5 分",
		3*24*time.Hour + 4*time.Hour:        "3 天 4 小时",
		-2 * time.Second:                    "-2 秒",
		59*time.Minute + 59*time.Second + 1: "59 分 59 秒",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCountTimeMoney(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -20000: "-20,000"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	at := time.Date(2026, 3, 1, 23, 30, 5, 0, time.UTC)
	if got := Time(at); got != "2026-03-02 07:30:05" {
		t.Errorf("Time = %q, want Beijing 2026-03-02 07:30:05", got)
	}
	if got := Clock(at); got != "07:30:05" {
		t.Errorf("Clock = %q", got)
	}
	if got := Yuan(12.5); got != "12.50 元" {
		t.Errorf("Yuan = %q", got)
	}
	if got := Bytes(18_800_000); got != "18.8 MB" {
		t.Errorf("Bytes = %q", got)
	}
}

func TestTable(t *testing.T) {
	var b strings.Builder
	if err := Table(&b, [][]string{{"总行数", "20 行", "说明"}, {"SendSms 请求", "16 次", ""}, {"a", "1"}}); err != nil {
		t.Fatal(err)
	}
	want := "总行数        20 行  说明\nSendSms 请求  16 次\na             1\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := Table(&b, [][]string{{"错误", "清单有误：\n- 缺少 template_text"}, {"处理方法", "改正清单"}}); err != nil {
		t.Fatal(err)
	}
	want = "错误      清单有误：\n          - 缺少 template_text\n处理方法  改正清单\n"
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}
