package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisCounterKey keeps counters apart from values: a hash under the key
// with a suffix no value key of ours carries.
func redisCounterKey(key string) string { return key + "\x00#cnt" }

// Incr is HINCRBY plus the expiry in one MULTI/EXEC round trip: the server
// adds, so concurrent instances never overwrite each other. It is not
// retried: a lost reply may mean the increment happened.
func (s *redisStore) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	if err := checkIncr(key, field, ttl); err != nil {
		return err
	}
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("store: redis incr: %w", err)
	}
	k := redisCounterKey(key)
	_, err := s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HIncrBy(ctx, k, field, delta)
		if ttl > 0 {
			p.PExpire(ctx, k, roundTTL(ttl))
		} else {
			p.Persist(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("store: redis incr: %w", classifyRedis(err))
	}
	return nil
}

func (s *redisStore) Counts(ctx context.Context, key string) (map[string]int64, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.ready(ctx); err != nil {
		return nil, fmt.Errorf("store: redis counts: %w", err)
	}
	var raw map[string]string
	err := retryIdempotent(ctx, func() error {
		var err error
		raw, err = s.c.HGetAll(ctx, redisCounterKey(key)).Result()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: redis counts: %w", classifyRedis(err))
	}
	out := make(map[string]int64, len(raw))
	for f, v := range raw {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: redis counter field %q holds %q", ErrCorrupt, f, v)
		}
		out[f] = n
	}
	return out, nil
}
