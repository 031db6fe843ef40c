package cos

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr []string // substrings; nil means valid
	}{
		{"cos bucket", Config{Bucket: "campaigns-1250000000", Region: "ap-guangzhou"}, nil},
		{"internal endpoint", Config{Bucket: "campaigns-1250000000", Region: "ap-guangzhou", Endpoint: "https://cos-internal.ap-guangzhou.tencentcos.cn"}, nil},
		{"local server", Config{Bucket: "smsjump-test", Region: "ap-guangzhou", Endpoint: "http://127.0.0.1:7070", PathStyle: true}, nil},
		{"bucket without appid on cos", Config{Bucket: "campaigns", Region: "ap-guangzhou"}, []string{"BUCKET", "<name>-<appid>"}},
		{"uppercase bucket", Config{Bucket: "Campaigns-1250000000", Region: "ap-guangzhou"}, []string{"BUCKET"}},
		{"empty", Config{}, []string{"COS_REGION", "BUCKET"}},
		{"endpoint not a url", Config{Bucket: "b-1250000000", Region: "ap-guangzhou", Endpoint: "cos.example.com"}, []string{"COS_ENDPOINT"}},
		{"endpoint ftp", Config{Bucket: "b-1250000000", Region: "ap-guangzhou", Endpoint: "ftp://x"}, []string{"COS_ENDPOINT"}},
		{"endpoint with query", Config{Bucket: "b-1250000000", Region: "ap-guangzhou", Endpoint: "http://x?y=1"}, []string{"COS_ENDPOINT"}},
		{"region with spaces", Config{Bucket: "b-1250000000", Region: "ap guangzhou"}, []string{"COS_REGION"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if _, err := NewClient(tt.cfg); err != nil {
					t.Fatalf("NewClient: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("err = %v, want ErrConfig", err)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if _, err := NewClient(tt.cfg); !errors.Is(err, ErrConfig) {
				t.Errorf("NewClient accepted an invalid config: %v", err)
			}
		})
	}
}

func TestContentRangeTotal(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"bytes 0-9/100", 100, true},
		{"bytes 5-5/6", 6, true},
		{"bytes */100", 100, true},
		{"bytes 0-9/*", 0, false},
		{"", 0, false},
		{"items 0-9/100", 0, false},
		{"bytes 0-9/-1", 0, false},
	}
	for _, tt := range tests {
		got, ok := contentRangeTotal(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("contentRangeTotal(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzContentRangeTotal(f *testing.F) {
	for _, s := range []string{"bytes 0-9/100", "bytes */0", "bytes 1-2/x", "bytes /", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := contentRangeTotal(s)
		if ok && n < 0 {
			t.Fatalf("negative total %d from %q", n, s)
		}
		if !ok && n != 0 {
			t.Fatalf("total %d reported with !ok", n)
		}
	})
}

func TestETagQuoting(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: "abc", `W/"abc"`: "abc", "abc": "abc", `"`: `"`, "": ""} {
		if got := unquoteETag(in); got != want {
			t.Errorf("unquoteETag(%q) = %q, want %q", in, got, want)
		}
	}
	if quoteETag("abc") != `"abc"` || quoteETag(`"abc"`) != `"abc"` {
		t.Error("quoteETag")
	}
}
