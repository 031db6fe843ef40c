package store

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"
)

// The bucket's state keeps the server clock to the microsecond. Lua's
// tostring rounds a 16-digit microsecond count to 100 µs; the rounding
// errors of many takes then add up to tokens the rate never allowed
// (seen as TestTokenBucketSharedRate taking 1025 tokens where 1023.3 were
// allowed).
func TestRedisBucketStateIsExact(t *testing.T) {
	u := os.Getenv("SMSJUMP_TEST_REDIS_URL")
	if u == "" {
		if os.Getenv("SMSJUMP_REQUIRE_SERVERS") == "1" {
			t.Fatal("SMSJUMP_TEST_REDIS_URL is not set and SMSJUMP_REQUIRE_SERVERS=1")
		}
		t.Skip("SMSJUMP_TEST_REDIS_URL not set (e.g. redis://127.0.0.1:6379/0)")
	}
	ctx := context.Background()
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rs, ok := s.(*redisStore)
	if !ok {
		t.Fatalf("Open(%q) gave %T", u, s)
	}
	key := "tb-exact-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	before, err := rs.c.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	// rate 3 and one token taken from a burst of 7 leave 6; a later take
	// leaves a fraction that must survive as written.
	if n, err := rs.TakeTokens(ctx, key, 1, 3, 7); err != nil || n != 1 {
		t.Fatalf("take: %d %v", n, err)
	}
	after, err := rs.c.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	st, err := rs.c.HGetAll(ctx, redisBucketKey(key)).Result()
	if err != nil {
		t.Fatal(err)
	}
	ts, err := strconv.ParseInt(st["ts"], 10, 64)
	if err != nil {
		t.Fatalf("ts %q is not an exact microsecond count: %v", st["ts"], err)
	}
	if ts < before.UnixMicro() || ts > after.UnixMicro() {
		t.Errorf("ts %d outside the server's clock readings [%d, %d]", ts, before.UnixMicro(), after.UnixMicro())
	}
	if tok, err := strconv.ParseFloat(st["t"], 64); err != nil || tok != 6 {
		t.Errorf("tokens %q (%v), want 6", st["t"], err)
	}
	if n, err := rs.TakeTokens(ctx, key, 6, 3, 7); err != nil || n != 6 {
		t.Fatalf("second take: %d %v", n, err)
	}
	st, err = rs.c.HGetAll(ctx, redisBucketKey(key)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := strconv.ParseFloat(st["t"], 64); err != nil || tok < 0 || tok >= 1 {
		t.Errorf("tokens after draining %q (%v), want a fraction in [0, 1)", st["t"], err)
	}
}
