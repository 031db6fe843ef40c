package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// supportedSchemes is listed in the error for an unknown scheme.
// The COS backend adds "cos" here and a case in Open.
var supportedSchemes = []string{"mem", "bolt", "redis", "rediss", "cos"}

// urlExample is shown whenever a URL is rejected, so the message names the fix.
const urlExample = "e.g. mem://, bolt:///var/lib/smsjump/state.db, bolt://./state.db, redis://:password@10.0.0.5:6379/0"

// Open returns the Store named by rawURL (usually the STORE_URL variable):
//
//	mem://                              process-local map; every Open is a new, empty store
//	bolt:///abs/path/state.db           bbolt file, shared safely by several processes
//	bolt://./rel/path/state.db          same, relative to the working directory
//	redis://[user:pass@]host:port/db    Redis (TencentDB for Redis); rediss:// for TLS
//
// ctx bounds the work done at open time (taking the bolt lock, pinging Redis).
// Errors wrap ErrConfig (fix the URL) or ErrUnavailable (the backend could not
// be reached) and never contain the password.
func Open(ctx context.Context, rawURL string, opts ...Option) (Store, error) {
	u, err := parseStoreURL(rawURL)
	if err != nil {
		return nil, err
	}
	o := buildOptions(opts)
	var s Store
	switch u.Scheme {
	case "mem":
		s, err = openMem(u, o)
	case "bolt":
		s, err = openBolt(ctx, u, o)
	case "redis", "rediss":
		s, err = openRedis(ctx, u, o)
	case "cos":
		s, err = openCOS(ctx, u, o)
	default:
		return nil, fmt.Errorf("%w: unsupported scheme %q in STORE_URL; supported: %s (%s)",
			ErrConfig, u.Scheme, strings.Join(supportedSchemes, ", "), urlExample)
	}
	if err != nil {
		return nil, err
	}
	if o.prefix != "" {
		s = &prefixed{Store: s, prefix: o.prefix}
	}
	return s, nil
}

// parseStoreURL parses rawURL without ever echoing it: url.Parse errors
// quote the whole input, password included.
func parseStoreURL(rawURL string) (*url.URL, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil, fmt.Errorf("%w: STORE_URL is empty; set it (%s)", ErrConfig, urlExample)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		reason := "malformed"
		if errors.As(err, &ue) {
			reason = ue.Err.Error()
		}
		return nil, fmt.Errorf("%w: STORE_URL is not a valid URL (%s); expected %s",
			ErrConfig, redactUnparsed(reason, rawURL), urlExample)
	}
	if u.Scheme == "" {
		return nil, fmt.Errorf("%w: STORE_URL %q has no scheme; expected %s",
			ErrConfig, redactedURL(u), urlExample)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u, nil
}
