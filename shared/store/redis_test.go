package store_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/smsjump/smsjump/shared/store"
	"github.com/smsjump/smsjump/shared/store/storetest"
)

const redisEnv, redisExample = "SMSJUMP_TEST_REDIS_URL", "redis://127.0.0.1:6390/0"

func TestRedisConformance(t *testing.T) {
	u := serverURL(t, redisEnv, redisExample)
	storetest.Run(t, func(t *testing.T) store.Store { return openOrFatal(t, u) })
}

// TestRedisNativeTTL checks on the server that TTLs are Redis's own (PX),
// so expiry does not depend on any client's clock.
func TestRedisNativeTTL(t *testing.T) {
	u := serverURL(t, redisEnv, redisExample)
	prefix := fmt.Sprintf("storetest-ttl-%d:", time.Now().UnixNano())
	s := openOrFatal(t, u, store.WithKeyPrefix(prefix))
	defer s.Close()
	opts, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	raw := redis.NewClient(opts)
	defer raw.Close()
	ctx := t.Context()

	cases := []struct {
		name    string
		write   func(key string) error
		min     time.Duration
		max     time.Duration
		noLimit bool
	}{
		{"Set ttl", func(k string) error { return s.Set(ctx, k, []byte("v"), 90*time.Second) }, 80 * time.Second, 90 * time.Second, false},
		{"Set sub-ms ttl rounds up", func(k string) error { return s.Set(ctx, k, []byte("v"), time.Hour+time.Microsecond) }, 59 * time.Minute, time.Hour + time.Millisecond, false},
		{"Set no ttl", func(k string) error { return s.Set(ctx, k, []byte("v"), 0) }, 0, 0, true},
		{"SetIfAbsent ttl", func(k string) error {
			_, err := s.SetIfAbsent(ctx, k, []byte("v"), 1500*time.Millisecond)
			return err
		}, time.Second, 1500 * time.Millisecond, false},
		{"SetIfAbsent no ttl", func(k string) error {
			_, err := s.SetIfAbsent(ctx, k, []byte("v"), 0)
			return err
		}, 0, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.name
			if err := tc.write(k); err != nil {
				t.Fatal(err)
			}
			pttl, err := raw.PTTL(ctx, prefix+k).Result()
			if err != nil {
				t.Fatal(err)
			}
			raw.Del(ctx, prefix+k)
			if tc.noLimit {
				if pttl != -1 { // go-redis reports "no expiry" as -1
					t.Fatalf("PTTL = %v, want none", pttl)
				}
				return
			}
			if pttl < tc.min || pttl > tc.max {
				t.Fatalf("PTTL = %v, want in [%v, %v]", pttl, tc.min, tc.max)
			}
		})
	}
}

// TestRedisUnreachable: a closed port yields ErrUnavailable with the VPC
// hint, and no password.
func TestRedisUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = store.Open(t.Context(), "redis://:Sup3rSecretPw@"+addr+"/0?dial_timeout=500ms")
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	msg := err.Error()
	for _, want := range []string{addr + "/0", "same VPC"} {
		if !strings.Contains(msg, want) {
			t.Errorf("err %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "Sup3rSecretPw") {
		t.Errorf("err %q leaks the password", msg)
	}
}

// TestRedisAuthRejected: a server refusing the password yields ErrConfig
// (fix STORE_URL), not ErrUnavailable, and no password.
func TestRedisAuthRejected(t *testing.T) {
	addr := serveRESP(t, func(cmd []string) string {
		return "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
	})
	_, err := store.Open(t.Context(), "redis://:Sup3rSecretPw@"+addr+"/0")
	if !errors.Is(err, store.ErrConfig) {
		t.Fatalf("err = %v, want ErrConfig", err)
	}
	if msg := err.Error(); strings.Contains(msg, "Sup3rSecretPw") || !strings.Contains(msg, "credentials") {
		t.Errorf("err %q: want the credentials named, without the password", msg)
	}
}

// TestRedisServerErrors: server-side refusals map to error kinds the caller
// can act on.
func TestRedisServerErrors(t *testing.T) {
	for _, tc := range []struct {
		reply string
		want  error
	}{
		{"-LOADING Redis is loading the dataset in memory\r\n", store.ErrUnavailable},
		{"-READONLY You can't write against a read only replica.\r\n", store.ErrUnavailable},
		{"-OOM command not allowed when used memory > 'maxmemory'.\r\n", store.ErrUnavailable},
		{"-NOAUTH Authentication required.\r\n", store.ErrConfig},
	} {
		t.Run(strings.Fields(tc.reply)[0], func(t *testing.T) {
			addr := serveRESP(t, func(cmd []string) string {
				if strings.EqualFold(cmd[0], "ping") {
					return "+PONG\r\n"
				}
				return tc.reply
			})
			s := openOrFatal(t, "redis://"+addr+"/0")
			defer s.Close()
			if err := s.Set(t.Context(), "k", []byte("v"), 0); !errors.Is(err, tc.want) {
				t.Errorf("Set: err = %v, want %v", err, tc.want)
			}
			if _, err := s.SetIfAbsent(t.Context(), "k", []byte("v"), time.Second); !errors.Is(err, tc.want) {
				t.Errorf("SetIfAbsent: err = %v, want %v", err, tc.want)
			}
		})
	}
}

// serveRESP runs a minimal RESP2 server on loopback that answers every
// command with reply(cmd). It returns the address.
func serveRESP(t *testing.T, reply func(cmd []string) string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					cmd, err := readRESPCommand(r)
					if err != nil {
						return
					}
					if _, err := io.WriteString(c, reply(cmd)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// readRESPCommand reads one command: an array of bulk strings.
func readRESPCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "*") {
		return nil, fmt.Errorf("not an array: %q", line)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil || n < 1 {
		return nil, fmt.Errorf("bad array header %q", line)
	}
	cmd := make([]string, n)
	for i := range cmd {
		hdr, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(hdr, "$")))
		if err != nil {
			return nil, fmt.Errorf("bad bulk header %q", hdr)
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		cmd[i] = string(buf[:size])
	}
	return cmd, nil
}
