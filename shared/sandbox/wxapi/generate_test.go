package wxapi_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/wxapi"
)

// TestGenerateFixtures replays request bodies seen in the wild; the file
// name says the expected outcome (ok_… or err<code>_…).
func TestGenerateFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/generate/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	s := start(t, wxapi.Options{})
	token := s.Token()
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if code, ok := strings.CutPrefix(name, "err"); ok {
				want, err = strconv.Atoi(code[:strings.IndexByte(code, '_')])
				if err != nil {
					t.Fatal(err)
				}
			}
			_, r := call(t, s, wxapi.PathGenerateScheme, token, body)
			if r.code() != want {
				t.Fatalf("errcode %d (%s), want %d", r.code(), r.ErrMsg, want)
			}
			if want == 0 && !strings.HasPrefix(r.OpenLink, "weixin://dl/business/?t=") {
				t.Fatalf("openlink %q", r.OpenLink)
			}
			if want != 0 && r.OpenLink != "" {
				t.Fatal("an error reply carried an openlink")
			}
		})
	}
}

func TestGenerateRejects(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, Pages: []string{"pages/index/index", "/pages/shop/item"}})
	token := s.Token()
	at := func(d time.Duration) int64 { return clk.Now().Add(d).Unix() }
	tests := []struct {
		name  string
		token string
		body  any
		want  int
	}{
		{"no token", "", genBody("pages/index/index", "", 1), 41001},
		{"unknown token", "86_forged", genBody("pages/index/index", "", 1), 40001},
		{"empty body", token, "", 44002},
		{"known page", token, genBody("pages/index/index", "a=1&b=2", 30), 0},
		{"known page with slash", token, genBody("/pages/shop/item", "", 30), 0},
		{"home page", token, genBody("", "", 30), 0},
		{"unknown page", token, genBody("pages/nope/nope", "", 30), 40165},
		{"query in path", token, genBody("pages/index/index?a=1", "", 30), 40165},
		{"space in path", token, genBody("pages/index /index", "", 30), 40165},
		{"query 1024", token, genBody("pages/index/index", strings.Repeat("q", 1024), 30), 0},
		{"query 1025", token, genBody("pages/index/index", strings.Repeat("q", 1025), 30), 40212},
		{"query space", token, genBody("pages/index/index", "a=b c", 30), 40212},
		{"query all specials", token, genBody("pages/index/index", "!#$&'()*+,/:;=?@-._~%", 30), 0},
		{"env develop", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index", "env_version": "develop"}, "expire_type": 1, "expire_interval": 3}, 0},
		{"env bad", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index", "env_version": "prod"}, "expire_type": 1, "expire_interval": 3}, 85402},
		{"interval 0", token, genBody("pages/index/index", "", 0), 85401},
		{"interval 31", token, genBody("pages/index/index", "", 31), 85401},
		{"interval as string", token, `{"jump_wxa":{"path":"pages/index/index"},"expire_type":1,"expire_interval":"3"}`, 47001},
		{"interval fractional", token, `{"jump_wxa":{"path":"pages/index/index"},"expire_type":1,"expire_interval":2.5}`, 47001},
		{"expire_time 2 min", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 0, "expire_time": at(2 * time.Minute)}, 0},
		{"expire_time 60 s", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 0, "expire_time": at(time.Minute)}, 85401},
		{"expire_time 30 days", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 0, "expire_time": at(30 * 24 * time.Hour)}, 0},
		{"expire_time 30 days + 1 s", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 0, "expire_time": at(30*24*time.Hour + time.Second)}, 85401},
		{"expire_time in ms", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 0, "expire_time": at(time.Hour) * 1000}, 85401},
		{"default expire_type is 0", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_time": at(time.Hour)}, 0},
		{"expire_type 2", token, map[string]any{"jump_wxa": map[string]any{"path": "pages/index/index"}, "expire_type": 2, "expire_interval": 3}, 85401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, r := call(t, s, wxapi.PathGenerateScheme, tt.token, tt.body)
			if r.code() != tt.want {
				t.Fatalf("errcode %d (%s), want %d", r.code(), r.ErrMsg, tt.want)
			}
		})
	}
}

func TestGenerateRecordsScheme(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now})
	_, r := call(t, s, wxapi.PathGenerateScheme, s.Token(), genBody("pages/index/index", "c=spring", 7))
	if r.code() != 0 || r.ErrMsg != "ok" {
		t.Fatalf("errcode %d %q", r.code(), r.ErrMsg)
	}
	got := s.Schemes()
	if len(got) != 1 {
		t.Fatalf("%d schemes recorded", len(got))
	}
	want := wxapi.IssuedScheme{
		OpenLink: r.OpenLink, Ticket: strings.TrimPrefix(r.OpenLink, "weixin://dl/business/?t="),
		AppID: testAppID, Path: "pages/index/index", Query: "c=spring", EnvVersion: "release",
		CreatedAt: clk.Now(), ExpiresAt: clk.Now().Add(7 * 24 * time.Hour),
	}
	if got[0] != want {
		t.Fatalf("recorded %+v\nwant      %+v", got[0], want)
	}
	if len(want.Ticket) != 11 {
		t.Errorf("ticket %q, want 11 characters like the documented example", want.Ticket)
	}
}

func TestGeneratePerSecondLimit(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, PerSecondLimit: 5})
	token := s.Token()
	for i := 0; i < 5; i++ {
		if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 0 {
			t.Fatalf("call %d: errcode %d", i, r.code())
		}
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 44990 {
		t.Fatalf("6th call in one second: errcode %d, want 44990", r.code())
	}
	clk.Advance(time.Second)
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 0 {
		t.Fatalf("next second: errcode %d", r.code())
	}
}

func TestGenerateDailyQuota(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now, DailyQuota: 3})
	token := s.Token()
	// A rejected request does not spend quota.
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 99)); r.code() != 85401 {
		t.Fatalf("errcode %d", r.code())
	}
	for i := 0; i < 3; i++ {
		if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 0 {
			t.Fatalf("call %d: errcode %d", i, r.code())
		}
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 44993 {
		t.Fatalf("over quota: errcode %d, want 44993", r.code())
	}
	// Midnight Beijing time is 16:00 UTC; the first token has expired by then,
	// s.Token() issues the next.
	clk.Advance(14 * time.Hour)
	if _, r := call(t, s, wxapi.PathGenerateScheme, s.Token(), genBody("p/a", "", 1)); r.code() != 0 {
		t.Fatalf("next day: errcode %d", r.code())
	}
}

// TestGenerateConcurrent hits the sandbox from 100 goroutines within one
// (fake) second: all 100 allowed calls succeed with distinct tickets and
// the next one is rate limited.
func TestGenerateConcurrent(t *testing.T) {
	clk := newClock()
	s := start(t, wxapi.Options{Now: clk.Now})
	token := s.Token()
	var wg sync.WaitGroup
	links := make([]string, 100)
	errs := make(chan error, 100)
	for i := range links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, r, err := callE(s, wxapi.PathGenerateScheme, token, genBody("pages/index/index", fmt.Sprintf("n=%d", i), 30))
			if err != nil {
				errs <- err
				return
			}
			if r.code() != 0 {
				errs <- fmt.Errorf("goroutine %d: errcode %d", i, r.code())
				return
			}
			links[i] = r.OpenLink
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for _, l := range links {
		if seen[l] {
			t.Fatalf("duplicate openlink %s", l)
		}
		seen[l] = true
	}
	if n := len(s.Schemes()); n != 100 {
		t.Fatalf("%d schemes recorded, want 100", n)
	}
	if n := s.Calls(wxapi.PathGenerateScheme); n != 100 {
		t.Fatalf("Calls = %d, want 100", n)
	}
	if _, r := call(t, s, wxapi.PathGenerateScheme, token, genBody("p/a", "", 1)); r.code() != 44990 {
		t.Fatalf("101st call: errcode %d, want 44990", r.code())
	}
}
