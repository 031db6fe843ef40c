package cos

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

var urlParams = []string{"region", "endpoint", "path_style"}

// ParseURL parses cos://<bucket-appid>/<prefix>?region=…[&endpoint=…&path_style=true],
// the form STORE_URL and blob URLs share. The prefix is empty or ends in "/".
// Credentials never appear in the URL: they come from TENCENTCLOUD_*.
func ParseURL(u *url.URL) (cfg Config, prefix string, err error) {
	if !strings.EqualFold(u.Scheme, "cos") {
		return cfg, "", fmt.Errorf("%w: %q is not a cos:// URL", ErrConfig, u.Scheme+"://")
	}
	if u.User != nil {
		return cfg, "", fmt.Errorf("%w: a cos:// URL must not carry credentials; they come from TENCENTCLOUD_SECRETID/SECRETKEY/SESSIONTOKEN", ErrConfig)
	}
	if u.Host == "" {
		return cfg, "", fmt.Errorf("%w: a cos:// URL needs a bucket, e.g. cos://state-1250000000/smsjump?region=ap-guangzhou", ErrConfig)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return cfg, "", fmt.Errorf("%w: cos:// URL query: %v", ErrConfig, err)
	}
	for k := range q {
		if !slices.Contains(urlParams, k) {
			return cfg, "", fmt.Errorf("%w: cos:// URL has unknown parameter %q; known: %s", ErrConfig, k, strings.Join(urlParams, ", "))
		}
	}
	cfg.Bucket = u.Host
	cfg.Region = q.Get("region")
	cfg.Endpoint = q.Get("endpoint")
	if ps := q.Get("path_style"); ps != "" {
		if cfg.PathStyle, err = strconv.ParseBool(ps); err != nil {
			return cfg, "", fmt.Errorf("%w: cos:// URL path_style=%q is not a boolean", ErrConfig, ps)
		}
	}
	if cfg.Region == "" {
		return cfg, "", fmt.Errorf("%w: cos:// URL needs ?region=, e.g. cos://%s/smsjump?region=ap-guangzhou", ErrConfig, cfg.Bucket)
	}
	prefix = strings.Trim(u.Path, "/")
	if prefix != "" {
		prefix += "/"
	}
	if err := cfg.Validate(); err != nil {
		return cfg, "", err
	}
	return cfg, prefix, nil
}

// FillEndpoint returns rawURL with endpoint and path_style added when it is
// a cos:// URL that does not set them itself (the URL wins); anything else
// is returned unchanged. It lets COS_ENDPOINT / COS_PATH_STYLE move every
// cos:// URL of a deployment to a local server at once.
func FillEndpoint(rawURL, endpoint string, pathStyle bool) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || !strings.EqualFold(u.Scheme, "cos") {
		return rawURL
	}
	q := u.Query()
	if endpoint != "" && !q.Has("endpoint") {
		q.Set("endpoint", endpoint)
	}
	if pathStyle && !q.Has("path_style") {
		q.Set("path_style", "true")
	}
	u.RawQuery = q.Encode()
	return u.String()
}
