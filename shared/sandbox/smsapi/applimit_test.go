package smsapi

import (
	"strings"
	"testing"
	"time"
)

func TestAppDailyLimit(t *testing.T) {
	clock := newFakeClock(beijingTime(23, 0))
	s := startServer(t, func(o *Options) { o.Now = clock.Now; o.AppDailyLimit = 3 })
	c := sdkClient(t, s.URL(), testID, testKey, "")
	resp, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(4, 0)...))
	if code != "" {
		t.Fatal(code)
	}
	want := []string{CodeOK, CodeOK, CodeOK, CodeAppDailyLimit}
	if got := codes(resp); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("codes %v, want %v", got, want)
	}
	// Still the same Beijing day: every number is refused.
	clock.Advance(59 * time.Minute)
	if resp, _ := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 10)...)); codes(resp)[0] != CodeAppDailyLimit {
		t.Fatalf("23:59: %v", codes(resp))
	}
	// Midnight in Beijing lifts it.
	clock.Advance(time.Minute)
	if resp, _ := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(1, 10)...)); codes(resp)[0] != CodeOK {
		t.Fatalf("00:00: %v", codes(resp))
	}
}
