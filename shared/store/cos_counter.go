package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/cos"
)

// COS has no atomic add, and a read-modify-write of one object loses
// increments between instances. So every increment is its own object
// (append-only, one PUT), and Counts sums a listing:
//
//	<prefix>~cnt/<key>/<field>/<expiry unix s, 0 = none>.<delta>.<random>
//
// The object is empty; its name is the event. "~cnt" cannot be the name of
// a value (cosObjectName escapes '~'), and checkField keeps fields verbatim.
// Counts costs one listing request per 1,000 increments, which suits the
// funnel: written by many instances, read by a timer every few minutes.
// Objects are never deleted here; a lifecycle rule on the prefix reclaims them.
const cosCounterDir = "~cnt/"

func (s *cosStore) counterDir(key string) string {
	return s.prefix + cosCounterDir + cosObjectName(key) + "/"
}

func (s *cosStore) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	if err := checkIncr(key, field, ttl); err != nil {
		return err
	}
	if err := s.begin(ctx, key); err != nil {
		return err
	}
	var expiry int64
	if ttl > 0 {
		expiry = s.now().Add(ttl + time.Second - 1).Unix()
	}
	var r [8]byte
	_, _ = rand.Read(r[:]) // never fails (crypto/rand documents it)
	name := fmt.Sprintf("%s%s/%d.%d.%s", s.counterDir(key), field, expiry, delta, hex.EncodeToString(r[:]))
	_, err := s.c.Put(ctx, name, nil, cos.PutOptions{})
	return cosStoreErr("incr", err)
}

func (s *cosStore) Counts(ctx context.Context, key string) (map[string]int64, error) {
	if err := s.begin(ctx, key); err != nil {
		return nil, err
	}
	dir := s.counterDir(key)
	now := s.now().Unix()
	out := make(map[string]int64)
	token := ""
	for {
		objs, next, err := s.c.ListPage(ctx, dir, token, cos.MaxListPage)
		if err != nil {
			return nil, cosStoreErr("counts", err)
		}
		for _, o := range objs {
			field, expiry, delta, ok := parseCounterObject(strings.TrimPrefix(o.Key, dir))
			if !ok {
				return nil, fmt.Errorf("%w: cos counter object %q", ErrCorrupt, o.Key)
			}
			if expiry != 0 && now >= expiry {
				continue
			}
			out[field] += delta
		}
		if next == "" {
			return out, nil
		}
		token = next
	}
}

// parseCounterObject splits "<field>/<expiry>.<delta>.<random>".
func parseCounterObject(rest string) (field string, expiry, delta int64, ok bool) {
	field, ev, found := strings.Cut(rest, "/")
	if !found || checkField(field) != nil {
		return "", 0, 0, false
	}
	parts := strings.Split(ev, ".")
	if len(parts) != 3 {
		return "", 0, 0, false
	}
	expiry, err1 := strconv.ParseInt(parts[0], 10, 64)
	delta, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return field, expiry, delta, true
}
