package store

import (
	"errors"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestOpenURLErrors(t *testing.T) {
	cases := []struct {
		name, raw string
		want      []string // substrings of the error
	}{
		{"empty", "", []string{"STORE_URL is empty"}},
		{"blank", "   ", []string{"STORE_URL is empty"}},
		{"no scheme", "/var/lib/state.db", []string{"no scheme", "bolt:///"}},
		{"unknown scheme", "etcd://10.0.0.1:2379", []string{`unsupported scheme "etcd"`, "mem, bolt, redis, rediss"}},
		{"unparsable", "redis://:s3cretpw@host:port/0", []string{"not a valid URL", "invalid port"}},
		{"control char", "bolt:///tmp/a\x7fb", []string{"not a valid URL"}},
		{"bolt no path", "bolt://", []string{"names no file"}},
		{"bolt dir", "bolt:///var/lib/", []string{"names no file"}},
		{"bolt host", "bolt://localhost/var/state.db", []string{`names host "localhost"`}},
		{"bolt opaque", "bolt:state.db", []string{"has no //"}},
		{"bolt query", "bolt:///tmp/x.db?mode=ro", []string{"takes no user, query"}},
		{"mem path", "mem://somewhere", []string{"mem:// takes no host"}},
		{"redis bad db", "redis://127.0.0.1:6379/abc", []string{"redis URL", "invalid database"}},
		{"redis max_retries", "redis://127.0.0.1:6379/0?max_retries=3", []string{"max_retries is not supported"}},
		{"redis unknown option", "redis://:s3cretpw@127.0.0.1:6379/0?foo=1", []string{"unexpected option"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(t.Context(), tc.raw)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tc.raw)
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cretpw") {
				t.Errorf("err %q leaks the password", err)
			}
		})
	}
}

func TestBoltPath(t *testing.T) {
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ raw, want string }{
		{"bolt:///var/lib/smsjump/state.db", "/var/lib/smsjump/state.db"},
		{"bolt:///tmp/a/../b/state.db", "/tmp/b/state.db"},
		{"bolt://./state.db", filepath.Join(wd, "state.db")},
		{"bolt://./data/state.db", filepath.Join(wd, "data/state.db")},
		{"bolt://../state.db", filepath.Join(filepath.Dir(wd), "state.db")},
		{"bolt:///tmp/%E6%98%A5%E8%8A%82.db", "/tmp/春节.db"},
		{"BOLT:///tmp/x.db", "/tmp/x.db"},
	} {
		u, err := parseStoreURL(tc.raw)
		if err != nil {
			t.Fatalf("parse %q: %v", tc.raw, err)
		}
		got, err := boltPath(u)
		if err != nil || got != tc.want {
			t.Errorf("boltPath(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
}

func TestRedisOptions(t *testing.T) {
	u, err := parseStoreURL("rediss://user:p%40ss@10.0.0.5:6380/3?dial_timeout=1s")
	if err != nil {
		t.Fatal(err)
	}
	o, err := redisOptions(u)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"addr", o.Addr, "10.0.0.5:6380"},
		{"db", o.DB, 3},
		{"user", o.Username, "user"},
		{"password", o.Password, "p@ss"},
		{"tls", o.TLSConfig != nil, true},
		{"dial timeout from URL", o.DialTimeout.String(), "1s"},
		{"read timeout default", o.ReadTimeout, redisReadTimeout},
		{"write timeout default", o.WriteTimeout, redisWriteTimeout},
		{"protocol", o.Protocol, 2},
		{"no client retries", o.MaxRetries, -1},
		{"context timeouts", o.ContextTimeoutEnabled, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

var fuzzSecret = regexp.MustCompile(`^[A-Za-z0-9]{8,}$`)

// FuzzOpenURLNoSecret: STORE_URL comes from the environment and its
// errors get logged. Whatever the URL, parsing never panics and no error
// repeats the password.
func FuzzOpenURLNoSecret(f *testing.F) {
	f.Add("redis", "user", "s3cretpw1", "127.0.0.1:6379/0")
	f.Add("rediss", "", "Passw0rdXYZ", "host:notaport/0")
	f.Add("redis", "u", "abc12345xyz", "h:1/0?max_retries=1")
	f.Add("bolt", "u", "abc12345xyz", "/tmp/x.db")
	f.Add("mem", "u", "abc12345xyz", "")
	f.Add("cos", "u", "abc12345xyz", "bucket-1250000000/p?region=ap-guangzhou")
	f.Add("redis", "a b", "zz9999zzzz", "[::1]:6379/99999999999999999999")
	f.Fuzz(func(t *testing.T, scheme, user, pw, rest string) {
		// A distinctive password that the rest of the URL, escaped or not,
		// cannot contain by accident; otherwise a match proves nothing.
		if !fuzzSecret.MatchString(pw) || !strings.ContainsAny(pw, "0123456789") ||
			strings.Trim(pw, "0123456789") == "" {
			return
		}
		for _, other := range []string{scheme, user, rest, url.PathEscape(rest), url.QueryEscape(rest)} {
			if strings.Contains(strings.ToLower(other), strings.ToLower(pw)) {
				return
			}
		}
		raw := scheme + "://" + user + ":" + pw + "@" + rest
		err := parseOnly(raw)
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Fatalf("error for %q leaks the password: %v", raw, err)
		}
	})
}

// parseOnly runs every parsing step of Open without touching files or the
// network.
func parseOnly(raw string) error {
	u, err := parseStoreURL(raw)
	if err != nil {
		return err
	}
	switch u.Scheme {
	case "mem":
		_, err = openMem(u, buildOptions(nil))
	case "bolt":
		_, err = boltPath(u)
	case "redis", "rediss":
		_, err = redisOptions(u)
	}
	return err
}
