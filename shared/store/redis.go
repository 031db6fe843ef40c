package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Timeouts used when STORE_URL does not set dial_timeout, read_timeout or
// write_timeout. SCF functions answer users in well under a second, so a
// store that is slower than this is better treated as down.
const (
	redisDialTimeout  = 3 * time.Second
	redisReadTimeout  = 2 * time.Second
	redisWriteTimeout = 2 * time.Second
)

// redisVPCHint is appended to every connection failure: it is the usual
// cause on SCF and nothing in the network error says so.
const redisVPCHint = "TencentDB for Redis is reachable from SCF only with the function in the same VPC: " +
	"give the function the instance's VPC and subnet, and allow it in the instance's security group"

// redisStore keeps TTLs on the server (PX) and creates with SET NX.
type redisStore struct {
	c      *redis.Client
	closed atomic.Bool
}

func openRedis(ctx context.Context, u *url.URL, o options) (Store, error) {
	opts, err := redisOptions(u)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("%s/%d", opts.Addr, opts.DB)
	redisLogOnce.Do(func() { redis.SetLogger(redisLogger{o.logger}) })
	c := redis.NewClient(opts)
	// Ping now: a function outside the VPC should fail at startup with the
	// hint, not on its first request with a bare i/o timeout.
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		msg := redactSecret(err.Error(), u)
		if redis.IsAuthError(err) || redis.IsPermissionError(err) {
			return nil, fmt.Errorf("%w: redis %s rejected the credentials in STORE_URL (%s); fix the user/password in the URL",
				ErrConfig, where, msg)
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%w: redis %s: ping: %s: %w (%s)", ErrUnavailable, where, msg, ctxErr, redisVPCHint)
		}
		return nil, fmt.Errorf("%w: cannot reach redis %s: %s (%s)", ErrUnavailable, where, msg, redisVPCHint)
	}
	o.logger.Debug("store: redis connected", "addr", where, "tls", opts.TLSConfig != nil)
	return &redisStore{c: c}, nil
}

// redisOptions turns the URL into client options, with the defaults this
// package wants where the URL is silent.
func redisOptions(u *url.URL) (*redis.Options, error) {
	q := u.Query()
	if q.Has("max_retries") {
		return nil, fmt.Errorf("%w: redis URL %q: max_retries is not supported (the store retries only idempotent commands itself); remove it",
			ErrConfig, redactedURL(u))
	}
	opts, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("%w: redis URL %q: %s; expected redis://[user:password@]host:port/db",
			ErrConfig, redactedURL(u), redactSecret(err.Error(), u))
	}
	if !q.Has("dial_timeout") {
		opts.DialTimeout = redisDialTimeout
	}
	if !q.Has("read_timeout") {
		opts.ReadTimeout = redisReadTimeout
	}
	if !q.Has("write_timeout") {
		opts.WriteTimeout = redisWriteTimeout
	}
	if !q.Has("protocol") {
		// RESP2: every TencentDB for Redis version speaks it, and the
		// handshake skips a HELLO that older versions refuse.
		opts.Protocol = 2
	}
	// go-redis would retry a SET NX whose reply was lost; the retry then sees
	// our own value and reports "not created" for a key we did create. So
	// the client never retries and the store retries idempotent commands.
	opts.MaxRetries = -1
	// One redial: an address outside the VPC drops packets, and five dial
	// attempts (the default) would stall a cold start for five dial timeouts.
	opts.DialerRetries = 2
	opts.ContextTimeoutEnabled = true
	// Fewer handshake round trips on a cold start; neither feature is used.
	opts.DisableIdentity = true
	opts.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	return opts, nil
}

// go-redis logs through a process-wide logger that writes plain text to
// stderr; on SCF every line should be slog JSON. Set once, by the first Open.
var redisLogOnce sync.Once

type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, "store: redis client", "detail", fmt.Sprintf(format, v...))
}

func (s *redisStore) ready(ctx context.Context) error {
	if s.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

func (s *redisStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := s.ready(ctx); err != nil {
		return nil, fmt.Errorf("store: redis get: %w", err)
	}
	var v []byte
	err := retryIdempotent(ctx, func() error {
		var err error
		v, err = s.c.Get(ctx, key).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: redis get: %w", classifyRedis(err))
	}
	return v, nil
}

func (s *redisStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkWrite(key, ttl); err != nil {
		return err
	}
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("store: redis set: %w", err)
	}
	err := retryIdempotent(ctx, func() error {
		return s.c.Set(ctx, key, value, roundTTL(ttl)).Err()
	})
	if err != nil {
		return fmt.Errorf("store: redis set: %w", classifyRedis(err))
	}
	return nil
}

func (s *redisStore) SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := checkWrite(key, ttl); err != nil {
		return false, err
	}
	if err := s.ready(ctx); err != nil {
		return false, fmt.Errorf("store: redis set-if-absent: %w", err)
	}
	// SET key value NX [PX ms]: one atomic command, and the server expires
	// the key itself, so an expired key is absent by construction.
	args := []any{"set", key, value, "nx"}
	if ttl > 0 {
		args = append(args, "px", roundTTL(ttl).Milliseconds())
	}
	err := s.c.Do(ctx, args...).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, redis.Nil):
		return false, nil
	default:
		return false, fmt.Errorf("store: redis set-if-absent: %w", classifyRedis(err))
	}
}

func (s *redisStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := s.ready(ctx); err != nil {
		return fmt.Errorf("store: redis delete: %w", err)
	}
	err := retryIdempotent(ctx, func() error { return s.c.Del(ctx, key).Err() })
	if err != nil {
		return fmt.Errorf("store: redis delete: %w", classifyRedis(err))
	}
	return nil
}

// Close closes the connection pool; calling it again is a no-op.
func (s *redisStore) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	return s.c.Close()
}

// roundTTL rounds a positive TTL up to Redis's millisecond resolution, so a
// sub-millisecond TTL does not become "no expiry" or an error.
func roundTTL(ttl time.Duration) time.Duration {
	if ttl <= 0 {
		return ttl
	}
	return (ttl + time.Millisecond - 1).Truncate(time.Millisecond)
}

// retryIdempotent runs fn again once after a transport failure (typically a
// pooled connection the server closed while idle). Only for commands whose
// repetition is harmless: GET, SET without NX, DEL.
func retryIdempotent(ctx context.Context, fn func() error) error {
	err := fn()
	if err != nil && isTransportError(err) && ctx.Err() == nil {
		err = fn()
	}
	return err
}

// isTransportError reports whether err came from the connection rather than
// from the server or the caller.
func isTransportError(err error) bool {
	var rerr redis.Error
	return !errors.As(err, &rerr) && !errors.Is(err, redis.Nil) && !errors.Is(err, redis.ErrClosed) &&
		!errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// classifyRedis attaches this package's error kinds to a go-redis error.
func classifyRedis(err error) error {
	switch {
	case errors.Is(err, redis.ErrClosed):
		return fmt.Errorf("%w: %w", ErrClosed, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case redis.IsAuthError(err), redis.IsPermissionError(err):
		return fmt.Errorf("%w: redis refused the credentials in STORE_URL: %w", ErrConfig, err)
	case redis.IsLoadingError(err), redis.IsReadOnlyError(err), redis.IsMasterDownError(err),
		redis.IsTryAgainError(err), redis.IsMaxClientsError(err), redis.IsOOMError(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	case isTransportError(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}
