package config

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// reader parses variables and collects every problem instead of stopping at
// the first, so an operator fixes the whole environment in one go.
type reader struct {
	getenv   func(string) string
	problems []string
	// undefined names the variables already reported as the text
	// "undefined", so that each is reported once and not also as missing.
	undefined map[string]bool
}

// get returns the trimmed value of name; the literal text undefined (what a
// deploy writes for an unset ${env:X}) is reported and read as unset.
func (r *reader) get(name string) string {
	v := strings.TrimSpace(r.getenv(name))
	if v != undefinedText {
		return v
	}
	if !r.undefined[name] {
		if r.undefined == nil {
			r.undefined = map[string]bool{}
		}
		r.undefined[name] = true
		r.problems = append(r.problems, undefinedProblem(name))
	}
	return ""
}

func (r *reader) missing(name, hint string) {
	if r.undefined[name] {
		return
	}
	r.problems = append(r.problems, fmt.Sprintf("%s is required: set it to %s", name, hint))
}

func (r *reader) bad(name, why string) {
	r.problems = append(r.problems, fmt.Sprintf("%s %s", name, why))
}

func (r *reader) str(name string, required bool, hint string) string {
	v := r.get(name)
	if v == "" && required {
		r.missing(name, hint)
	}
	return v
}

func (r *reader) strDefault(name, def string) string {
	if v := r.get(name); v != "" {
		return v
	}
	return def
}

// list splits a comma-separated value (ASCII or full-width commas),
// dropping empty items; nil when unset.
func (r *reader) list(name string) []string {
	var out []string
	for _, x := range strings.FieldsFunc(r.get(name), func(c rune) bool { return c == ',' || c == '，' }) {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (r *reader) url(name, def string) string {
	v := r.get(name)
	if v == "" {
		return def
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.bad(name, fmt.Sprintf("=%q is not an http(s) URL", v))
		return def
	}
	return strings.TrimRight(v, "/")
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := r.get(name)
	if v == "" {
		return def
	}
	if !slices.Contains(allowed, v) {
		r.bad(name, fmt.Sprintf("=%q is invalid: use one of %s", v, strings.Join(allowed, ", ")))
		return def
	}
	return v
}

func (r *reader) intRange(name string, def, lo, hi int) int {
	v := r.get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.bad(name, fmt.Sprintf("=%q is invalid: want a whole number from %d to %d", v, lo, hi))
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.get(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.bad(name, fmt.Sprintf("=%q is invalid: use true or false", v))
		return def
	}
	return b
}

func (r *reader) duration(name string, def, lo, hi time.Duration) time.Duration {
	v := r.get(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		r.bad(name, fmt.Sprintf("=%q is invalid: want a duration from %s to %s, e.g. 10m", v, lo, hi))
		return def
	}
	return d
}

func (r *reader) origins(name string) []string {
	v := r.get(name)
	if v == "" {
		return nil
	}
	var out []string
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			r.bad(name, fmt.Sprintf("has %q, which is not an origin like https://h5.example.cn", o))
			continue
		}
		out = append(out, u.Scheme+"://"+u.Host)
	}
	return out
}

var campaignID = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)

func (r *reader) campaigns(name string) map[string]StaticCampaign {
	v := r.get(name)
	if v == "" {
		return nil
	}
	var m map[string]StaticCampaign
	dec := json.NewDecoder(strings.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		r.bad(name, fmt.Sprintf("is not valid JSON like {\"poster\":{\"path\":\"pages/index/index\"}}: %v", err))
		return nil
	}
	for id, c := range m {
		switch {
		case !campaignID.MatchString(id):
			r.bad(name, fmt.Sprintf("campaign id %q must be 1–32 of a-z 0-9 _ -", id))
		case strings.TrimPrefix(c.Path, "/") == "":
			r.bad(name, fmt.Sprintf("campaign %q needs a path, e.g. pages/index/index", id))
		case c.EnvVersion != "" && !slices.Contains([]string{"release", "trial", "develop"}, c.EnvVersion):
			r.bad(name, fmt.Sprintf("campaign %q env_version %q: use release, trial or develop", id, c.EnvVersion))
		case !c.Start.IsZero() && !c.End.IsZero() && !c.End.After(c.Start):
			r.bad(name, fmt.Sprintf("campaign %q ends before it starts", id))
		case c.Poster != "" && !strings.HasPrefix(c.Poster, "https://"):
			r.bad(name, fmt.Sprintf("campaign %q poster %q must be an https:// image URL", id, c.Poster))
		case strings.HasPrefix(c.FallbackPath, "/") || strings.ContainsAny(c.FallbackPath, "?#"):
			r.bad(name, fmt.Sprintf("campaign %q fallback_path must be a page without a leading / or a query, e.g. pages/index/index", id))
		}
	}
	return m
}
