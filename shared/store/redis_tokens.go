package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// takeScript refills and takes in one atomic step on the server, with the
// server's clock (TIME), so every instance shares one bucket whatever its
// own clock says. State: a hash {t: tokens, ts: microseconds}. It expires
// once a full bucket would have refilled, so idle accounts leave nothing.
// Both are written with string.format, not tostring: Lua's tostring keeps
// 14 significant digits, which rounds today's 16-digit microsecond clock
// to 100 µs and lets the rounding errors of many takes add up to tokens
// the rate never allowed.
var takeScript = redis.NewScript(`
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local now = redis.call('TIME')
local us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local st = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = burst
if st[1] then
  tokens = math.min(burst, tonumber(st[1]) + math.max(0, us - tonumber(st[2])) * rate / 1000000)
end
local got = math.min(want, math.floor(tokens))
tokens = tokens - got
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%.0f', us))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return got
`)

// redisBucketKey keeps buckets apart from values and counters.
func redisBucketKey(key string) string { return key + "\x00#tb" }

// TakeTokens is not retried: a lost reply may mean tokens were taken, and
// taking fewer than allowed only slows the caller down for a moment.
func (s *redisStore) TakeTokens(ctx context.Context, key string, want int, rate float64, burst int) (int, error) {
	if err := checkTake(key, want, rate, burst); err != nil {
		return 0, err
	}
	if err := s.ready(ctx); err != nil {
		return 0, fmt.Errorf("store: redis take tokens: %w", err)
	}
	n, err := takeScript.Run(ctx, s.c, []string{redisBucketKey(key)},
		strconv.FormatFloat(rate, 'f', -1, 64), burst, want).Int()
	if err != nil {
		return 0, fmt.Errorf("store: redis take tokens: %w", classifyRedis(err))
	}
	return n, nil
}
