package scheme

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"strconv"
	"time"

	"github.com/smsjump/smsjump/shared/store"
)

// codeLimiter caps personal-code lookups per client IP across every
// instance. SCF runs one request per instance, so an in-memory limiter
// multiplies with concurrency exactly when someone is guessing codes.
//
// The store has no counter, so each lookup takes a numbered ticket in the
// IP's current window with SetIfAbsent: ticket n exists once n lookups
// were let through. A hint key remembers the highest ticket so the next
// lookup starts there; one that loses a race to another instance reads the
// hint again and tries the next number. The hint only ever lags behind the
// tickets, so numbers are never skipped and the count is exact; a lookup
// that loses maxProbes races in a row (a flood from one address) is
// refused. Once the hint says the window is spent, a lookup costs one read.
//
// Store errors let the lookup through: the limit guards against guessing,
// and a store outage must not lock out recipients.
type codeLimiter struct {
	st     store.Store
	limit  int // lookups per window
	window time.Duration
	now    func() time.Time
	log    *slog.Logger
}

// maxProbes bounds the SetIfAbsent calls of one lookup under contention.
const maxProbes = 16

// newCodeLimiter returns nil (no limit) when limit is 0.
func newCodeLimiter(st store.Store, limit int, window time.Duration, now func() time.Time, log *slog.Logger) *codeLimiter {
	if limit <= 0 || st == nil {
		return nil
	}
	return &codeLimiter{st: st, limit: limit, window: window, now: now, log: log}
}

// allow takes a ticket for ip; when the window is spent it reports the
// seconds until the next one.
func (l *codeLimiter) allow(ctx context.Context, ip string) (ok bool, retryAfter int) {
	if l == nil || ip == "" {
		return true, 0
	}
	now := l.now()
	win := now.UnixNano() / int64(l.window)
	end := time.Unix(0, (win+1)*int64(l.window))
	retry := max(1, int(math.Ceil(end.Sub(now).Seconds())))
	// Tickets outlive their window a little so that clocks a bit apart
	// across instances still see them.
	ttl := end.Sub(now) + l.window
	base := codeLimitKey(ip, win)

	n, err := l.hint(ctx, base)
	if err != nil {
		l.log.WarnContext(ctx, "code limit read failed; allowing", "err", err)
		return true, 0
	}
	if n >= l.limit {
		return false, retry
	}
	for probe := range maxProbes {
		if probe > 0 {
			// Lost a race: others may be well ahead (or a slow writer set
			// the hint back); start again from where they got.
			if h, err := l.hint(ctx, base); err == nil && h > n {
				n = h
			}
		}
		n++
		if n > l.limit {
			return false, retry
		}
		took, err := l.st.SetIfAbsent(ctx, base+"/"+strconv.Itoa(n), []byte("1"), ttl)
		if err != nil {
			l.log.WarnContext(ctx, "code limit write failed; allowing", "err", err)
			return true, 0
		}
		if took {
			if err := l.st.Set(ctx, base, []byte(strconv.Itoa(n)), ttl); err != nil {
				l.log.WarnContext(ctx, "code limit hint write failed", "err", err)
			}
			return true, 0
		}
	}
	// Every probe lost a race: many lookups from this IP at this instant.
	return false, retry
}

// hint reads the highest ticket taken so far in the window, 0 for none.
func (l *codeLimiter) hint(ctx context.Context, base string) (int, error) {
	b, err := l.st.Get(ctx, base)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, _ := strconv.Atoi(string(b))
	return n, nil
}

// codeLimitKey hashes the IP so that IPv6 colons and the address itself
// stay out of store keys (and out of COS object names).
func codeLimitKey(ip string, win int64) string {
	h := sha256.Sum256([]byte(ip))
	return "ratelimit/v1/code/" + hex.EncodeToString(h[:12]) + "/" + strconv.FormatInt(win, 10)
}
