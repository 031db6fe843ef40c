package audience

import (
	"strings"
	"testing"
	"time"
)

func TestParseCap(t *testing.T) {
	for in, want := range map[string]string{
		"": "off", "off": "off", "1/24h": "1/24h", " 1/24h , 3/7d ": "1/24h,3/7d", "2/1d": "2/1d",
	} {
		c, err := ParseCap(in)
		if err != nil || c.String() != want {
			t.Errorf("ParseCap(%q) = %v, %v; want %s", in, c, err, want)
		}
	}
	for _, bad := range []string{"1", "0/24h", "1/24", "1/0d", "1/31d", "1/721h", "x/1d", "1/1w", "1/1d,1/2d,1/3d,1/4d,1/5d", "300/1d"} {
		if _, err := ParseCap(bad); err == nil || !strings.Contains(err.Error(), "frequency cap") {
			t.Errorf("ParseCap(%q) = %v, want a frequency cap error", bad, err)
		}
	}
}

func TestRuleWindows(t *testing.T) {
	now := bj("2026-03-10", "09:30")
	day, _ := ParseCap("1/1d")
	if got, want := day[0].since(now), bj("2026-03-10", "00:00"); !got.Equal(want) {
		t.Errorf("1d since = %v, want Beijing midnight %v", got, want)
	}
	week, _ := ParseCap("3/7d")
	if got, want := week[0].since(now), bj("2026-03-04", "00:00"); !got.Equal(want) {
		t.Errorf("7d since = %v, want %v", got, want)
	}
	h, _ := ParseCap("1/24h")
	if got := h[0].since(now); !got.Equal(now.Add(-24 * time.Hour)) {
		t.Errorf("24h since = %v", got)
	}
	// 00:30 Beijing is still the previous day in UTC: the day must be Beijing's.
	early := bj("2026-03-10", "00:30")
	if got, want := day[0].since(early), bj("2026-03-10", "00:00"); !got.Equal(want) {
		t.Errorf("1d since at 00:30 Beijing = %v, want %v", got, want)
	}
}
