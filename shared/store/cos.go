package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/smsjump/smsjump/shared/cos"
)

// cosMaxValue bounds what Get reads into memory: store values are small
// (tokens, schemes, checkpoints); anything bigger is not ours.
const cosMaxValue = 8 << 20

// cosReplaceAttempts bounds the create / read / replace loop of SetIfAbsent
// when other writers keep changing the key under it.
const cosReplaceAttempts = 5

// cosStore keeps each key in one object holding an envelope (value and
// expiry). Expired objects are not deleted: a delete could remove a value
// another instance has just written. Add a lifecycle rule on the prefix to
// reclaim them.
type cosStore struct {
	c      *cos.Client
	prefix string
	now    func() time.Time
	closed atomic.Bool
}

// COSConfig is the parsed form of a cos:// store URL.
type COSConfig struct {
	cos.Config
	// Prefix is prepended to every object name; empty or ending in "/".
	Prefix string
}

// ParseCOSURL parses cos://<bucket-appid>/<prefix>?region=…[&endpoint=…&path_style=true].
// Credentials are not part of the URL: they come from TENCENTCLOUD_*.
func ParseCOSURL(u *url.URL) (COSConfig, error) {
	cfg, prefix, err := cos.ParseURL(u)
	if err != nil {
		return COSConfig{}, fmt.Errorf("%w: STORE_URL: %w", ErrConfig, err)
	}
	return COSConfig{Config: cfg, Prefix: prefix}, nil
}

// FillCOSEndpoint returns storeURL with the COS_ENDPOINT and COS_PATH_STYLE
// settings added when it is a cos:// URL that does not set endpoint or
// path_style itself (the URL wins). Other URLs are returned unchanged. The
// functions call it on STORE_URL so that pointing COS at a local server
// also moves a COS-backed store:
//
//	store.Open(ctx, store.FillCOSEndpoint(cfg.StoreURL, cfg.COSEndpoint, cfg.COSPathStyle))
func FillCOSEndpoint(storeURL, endpoint string, pathStyle bool) string {
	return cos.FillEndpoint(storeURL, endpoint, pathStyle)
}

func openCOS(ctx context.Context, u *url.URL, o options) (Store, error) {
	c, err := ParseCOSURL(u)
	if err != nil {
		return nil, err
	}
	return OpenCOS(ctx, c, o.now)
}

// OpenCOS is NewCOS plus the check that the bucket refuses a second create
// of one object (see checkCreateIfAbsent): a store whose creates are not
// exclusive is refused rather than trusted.
func OpenCOS(ctx context.Context, c COSConfig, now func() time.Time) (Store, error) {
	s, err := NewCOS(c, now)
	if err != nil {
		return nil, err
	}
	if err := s.(*cosStore).checkCreateIfAbsent(ctx, c.Bucket); err != nil {
		return nil, err
	}
	return s, nil
}

// NewCOS returns a COS-backed Store. now is the clock used for expiry (nil
// means time.Now); instances sharing a store should have clocks within a
// second or so of each other, as they do on SCF.
func NewCOS(c COSConfig, now func() time.Time) (Store, error) {
	client, err := cos.NewClient(c.Config)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if now == nil {
		now = time.Now
	}
	return &cosStore{c: client, prefix: c.Prefix, now: now}, nil
}

func (s *cosStore) object(key string) string { return s.prefix + cosObjectName(key) }

func (s *cosStore) begin(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if s.closed.Load() {
		return fmt.Errorf("store: cos: %w", ErrClosed)
	}
	return ctx.Err()
}

func (s *cosStore) Get(ctx context.Context, key string) ([]byte, error) {
	if err := s.begin(ctx, key); err != nil {
		return nil, err
	}
	v, expiry, _, err := s.read(ctx, key)
	if err != nil {
		return nil, err
	}
	if expiredAt(expiry, s.now()) {
		return nil, ErrNotFound
	}
	return v, nil
}

// read fetches and decodes the object of key.
func (s *cosStore) read(ctx context.Context, key string) (value []byte, expiry time.Time, etag string, err error) {
	obj, err := s.c.Get(ctx, s.object(key), 0, -1)
	if err != nil {
		return nil, time.Time{}, "", cosStoreErr("get", err)
	}
	defer obj.Body.Close()
	if obj.Size > cosMaxValue {
		return nil, time.Time{}, "", fmt.Errorf("%w: cos object for key is %d bytes, more than %d", ErrCorrupt, obj.Size, cosMaxValue)
	}
	var buf bytes.Buffer
	buf.Grow(int(obj.Size))
	if _, err := io.Copy(&buf, io.LimitReader(obj.Body, cosMaxValue+1)); err != nil {
		return nil, time.Time{}, "", cosStoreErr("get", &cos.Error{Op: "GetObject", Key: obj.Key, Err: err})
	}
	value, expiry, err = decodeEnvelope(buf.Bytes())
	if err != nil {
		return nil, time.Time{}, "", err
	}
	return value, expiry, obj.ETag, nil
}

func (s *cosStore) envelope(value []byte, ttl time.Duration) []byte {
	var expiry time.Time
	if ttl > 0 {
		expiry = s.now().Add(ttl)
	}
	return encodeEnvelope(value, expiry)
}

func (s *cosStore) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := checkTTL(ttl); err != nil {
		return err
	}
	if err := s.begin(ctx, key); err != nil {
		return err
	}
	_, err := s.c.Put(ctx, s.object(key), s.envelope(value, ttl), cos.PutOptions{})
	return cosStoreErr("set", err)
}

// SetIfAbsent creates the object with create-if-absent headers. When it
// exists but has expired, the right to replace that version is itself a
// pure create: a claim object named after the expired version's ETag
// (<object>~claim-<etag>-<n>). COS does not document If-Match on writes, so
// only creates decide who wins; OpenCOS checks at open that the bucket
// really refuses a second create. The winner then overwrites the object.
// A claim lives claimTTL: a winner that died before overwriting lets the
// next claim (n+1) be taken after it.
func (s *cosStore) SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, err
	}
	if err := s.begin(ctx, key); err != nil {
		return false, err
	}
	name := s.object(key)
	for range cosReplaceAttempts {
		_, err := s.c.Put(ctx, name, s.envelope(value, ttl), cos.PutOptions{IfAbsent: true})
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, cos.ErrExists) {
			return false, cosStoreErr("set-if-absent", err)
		}
		_, expiry, etag, err := s.read(ctx, key)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // deleted in between: try to create again
		case err != nil:
			return false, err
		case !expiredAt(expiry, s.now()):
			return false, nil
		}
		won, err := s.claim(ctx, name, etag)
		if err != nil || !won {
			return false, err
		}
		if _, err := s.c.Put(ctx, name, s.envelope(value, ttl), cos.PutOptions{}); err != nil {
			return false, cosStoreErr("set-if-absent", err)
		}
		return true, nil
	}
	return false, fmt.Errorf("%w: cos set-if-absent: key keeps changing after %d attempts", ErrUnavailable, cosReplaceAttempts)
}

// claimTTL bounds how long a claim blocks others if its winner dies before
// it overwrites the expired object.
const claimTTL = 30 * time.Second

// claim tries to win the replacement of the version etag of object name.
func (s *cosStore) claim(ctx context.Context, name, etag string) (bool, error) {
	etag = strings.Trim(etag, `"`)
	for n := 1; n <= cosReplaceAttempts; n++ {
		c := name + "~claim-" + etag + "-" + strconv.Itoa(n)
		_, err := s.c.Put(ctx, c, encodeEnvelope(nil, s.now().Add(claimTTL)), cos.PutOptions{IfAbsent: true})
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, cos.ErrExists) {
			return false, cosStoreErr("set-if-absent claim", err)
		}
		obj, err := s.c.Get(ctx, c, 0, -1)
		if err != nil {
			return false, cosStoreErr("set-if-absent claim", err)
		}
		b, err := io.ReadAll(io.LimitReader(obj.Body, 64))
		obj.Body.Close()
		if err != nil {
			return false, cosStoreErr("set-if-absent claim", err)
		}
		_, exp, err := decodeEnvelope(b)
		if err != nil {
			return false, err
		}
		if !expiredAt(exp, s.now()) {
			return false, nil // someone else is replacing it right now
		}
	}
	return false, fmt.Errorf("%w: cos set-if-absent: %d claims on one version expired unused", ErrUnavailable, cosReplaceAttempts)
}

// checkCreateIfAbsent creates one probe object twice: the second create
// must be refused. A bucket that has (or ever had) versioning accepts it,
// since COS ignores x-cos-forbid-overwrite there, and then no lease or
// single-flight in the store would hold.
func (s *cosStore) checkCreateIfAbsent(ctx context.Context, bucket string) error {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	probe := s.prefix + "~probe-" + hex.EncodeToString(rnd[:])
	defer func() { _ = s.c.Delete(context.WithoutCancel(ctx), probe) }()
	if _, err := s.c.Put(ctx, probe, encodeEnvelope(nil, time.Time{}), cos.PutOptions{IfAbsent: true}); err != nil {
		return cosStoreErr("create-if-absent check", err)
	}
	_, err := s.c.Put(ctx, probe, encodeEnvelope(nil, time.Time{}), cos.PutOptions{IfAbsent: true})
	switch {
	case errors.Is(err, cos.ErrExists):
		return nil
	case err != nil:
		return cosStoreErr("create-if-absent check", err)
	}
	return fmt.Errorf("%w: STORE_URL: COS bucket %s accepted a second create of the same object: it has (or once had) versioning, "+
		"where COS ignores x-cos-forbid-overwrite, so job leases would not hold. Use a bucket that never had versioning "+
		"(COS 控制台 → 存储桶 → 基础配置 → 版本控制 从未开启过的桶) or a redis:// STORE_URL", ErrConfig, bucket)
}

func (s *cosStore) Delete(ctx context.Context, key string) error {
	if err := s.begin(ctx, key); err != nil {
		return err
	}
	return cosStoreErr("delete", s.c.Delete(ctx, s.object(key)))
}

// Close marks the store closed; the HTTP client holds nothing that needs
// releasing.
func (s *cosStore) Close() error {
	s.closed.Store(true)
	return nil
}

// cosStoreErr maps COS error kinds to store kinds, keeping the COS error
// (with its hint and request id) in the chain.
func cosStoreErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, cos.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("store: cos %s: %w", op, err)
	case errors.Is(err, cos.ErrAccessDenied), errors.Is(err, cos.ErrBucketNotFound):
		return fmt.Errorf("%w: store: cos %s: %w", ErrConfig, op, err)
	default:
		// Throttling, 5xx after the SDK's retries, network failures.
		return fmt.Errorf("%w: store: cos %s: %w", ErrUnavailable, op, err)
	}
}
