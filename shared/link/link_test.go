package link

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/config"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestValidCampaignID(t *testing.T) {
	for id, want := range map[string]bool{
		"spring": true, "a": true, "poster_2026-03": true, strings.Repeat("x", 32): true,
		"": false, strings.Repeat("x", 33): false, "Spring": false, "spr ing": false, "春": false, "a/b": false,
	} {
		if got := ValidCampaignID(id); got != want {
			t.Errorf("ValidCampaignID(%q) = %v", id, got)
		}
	}
}

func TestValidCodeFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"ABCDEF": true, "23456789ABCD": true, "XYZ234": true,
		"ABCDE": false, "ABCDEFGHJKLMN": false, "ABCDE0": false, "ABCDEO": false, "ABCDE1": false,
		"ABCDEI": false, "abcdef": false, "ABCDE\x00": false, "ABC DE": false, "": false,
	} {
		if got := ValidCodeFormat(code); got != want {
			t.Errorf("ValidCodeFormat(%q) = %v", code, got)
		}
	}
}

func TestNewCodeAndResolve(t *testing.T) {
	ctx := context.Background()
	for _, length := range []int{0, 3, 6, 10, 12, 40} {
		st := newStore(t)
		r := NewRegistry(st, nil, Options{CodeLength: length, Now: func() time.Time { return t0 }})
		want := Code{Campaign: "spring", Query: "uid=42", CQ: "sms 渠道"}
		code, err := r.NewCode(ctx, want, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		wantLen := min(max(length, MinCodeLength), MaxCodeLength)
		if length == 0 {
			wantLen = DefaultCodeLength
		}
		if len(code) != wantLen || !ValidCodeFormat(code) {
			t.Fatalf("length %d: code %q", length, code)
		}
		got, err := r.Resolve(ctx, code)
		if err != nil || got != want {
			t.Fatalf("Resolve(%q) = %+v, %v", code, got, err)
		}
	}
}

func TestNewCodeRetriesOnCollision(t *testing.T) {
	st := newStore(t)
	st.collide.Store(2)
	r := NewRegistry(st, nil, Options{})
	if _, err := r.NewCode(context.Background(), Code{Campaign: "spring"}, 0); err != nil {
		t.Fatal(err)
	}
	if st.sets.Load() != 3 {
		t.Errorf("SetIfAbsent calls = %d, want 3", st.sets.Load())
	}
	st.collide.Store(codeAttempts)
	if _, err := r.NewCode(context.Background(), Code{Campaign: "spring"}, 0); err == nil {
		t.Error("want an error when every attempt collides")
	}
}

func TestNewCodeRejects(t *testing.T) {
	r := NewRegistry(newStore(t), nil, Options{})
	tests := []struct {
		code Code
		want error
	}{
		{Code{Campaign: "Bad"}, ErrUnknownCampaign},
		{Code{Campaign: "ok", CQ: strings.Repeat("渠", 30)}, ErrInvalidCQ},
		{Code{Campaign: "ok", CQ: "a\nb"}, ErrInvalidCQ},
	}
	for _, tt := range tests {
		if _, err := r.NewCode(context.Background(), tt.code, 0); !errors.Is(err, tt.want) {
			t.Errorf("NewCode(%+v) = %v, want %v", tt.code, err, tt.want)
		}
	}
}

func TestResolveRejectsCheaply(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		code string
		gets int64
	}{
		{"", 0}, {"ABC", 0}, {"abcdefgh", 0}, {"ABCDEFG0", 0}, {strings.Repeat("A", 100), 0},
		{"ABCDEFGH", 1}, // well-formed but unknown: one Get
	}
	for _, tt := range tests {
		st := newStore(t)
		r := NewRegistry(st, nil, Options{})
		if _, err := r.Resolve(ctx, tt.code); !errors.Is(err, ErrInvalidCode) {
			t.Errorf("Resolve(%q) = %v, want ErrInvalidCode", tt.code, err)
		}
		if got := st.gets.Load(); got != tt.gets {
			t.Errorf("Resolve(%q): %d store reads, want %d", tt.code, got, tt.gets)
		}
	}
}

func TestResolveExpired(t *testing.T) {
	ctx := context.Background()
	r := NewRegistry(newStore(t), nil, Options{})
	code, err := r.NewCode(ctx, Code{Campaign: "spring"}, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(120 * time.Millisecond)
	if _, err := r.Resolve(ctx, code); !errors.Is(err, ErrInvalidCode) {
		t.Fatalf("expired code: %v", err)
	}
}

func TestCampaigns(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	r := NewRegistry(st, map[string]config.StaticCampaign{
		"poster": {Path: "pages/index/index", Query: "from=poster", End: t0.Add(time.Hour)},
	}, Options{Now: func() time.Time { return t0 }})

	c, err := r.Campaign(ctx, "poster")
	if err != nil || c.Target.Query != "from=poster" || c.Status != StatusActive || st.gets.Load() != 0 {
		t.Fatalf("static campaign: %+v %v (store reads %d)", c, err, st.gets.Load())
	}
	if err := r.PutCampaign(ctx, Campaign{ID: "poster", Target: Target{Path: "p"}}); !errors.Is(err, ErrInvalidCampaign) {
		t.Errorf("overwriting a static campaign: %v", err)
	}

	spring := Campaign{ID: "spring", Target: Target{Path: "pages/a/a", Query: "x=1", EnvVersion: "trial"}, Start: t0, End: t0.Add(48 * time.Hour)}
	if err := r.PutCampaign(ctx, spring); err != nil {
		t.Fatal(err)
	}
	got, err := r.Campaign(ctx, "spring")
	if err != nil {
		t.Fatal(err)
	}
	if got.Target != spring.Target || !got.Start.Equal(t0) || got.Status != StatusActive || !got.UpdatedAt.Equal(t0) {
		t.Errorf("stored campaign: %+v", got)
	}

	st.gets.Store(0)
	if _, err := r.Campaign(ctx, "Not-Valid"); !errors.Is(err, ErrUnknownCampaign) || st.gets.Load() != 0 {
		t.Errorf("malformed id: %v after %d reads", err, st.gets.Load())
	}
	if _, err := r.Campaign(ctx, "autumn"); !errors.Is(err, ErrUnknownCampaign) || st.gets.Load() != 1 {
		t.Errorf("unknown id: %v after %d reads", err, st.gets.Load())
	}
}

func TestPutCampaignRejects(t *testing.T) {
	r := NewRegistry(newStore(t), nil, Options{})
	for _, c := range []Campaign{
		{ID: "", Target: Target{Path: "p"}},
		{ID: "x", Target: Target{}},
		{ID: "x", Target: Target{Path: "/"}},
		{ID: "x", Target: Target{Path: "p"}, Status: "running"},
		{ID: "x", Target: Target{Path: "p", EnvVersion: "prod"}},
		{ID: "x", Target: Target{Path: "p"}, Start: t0, End: t0},
	} {
		if err := r.PutCampaign(context.Background(), c); !errors.Is(err, ErrInvalidCampaign) {
			t.Errorf("PutCampaign(%+v) = %v", c, err)
		}
	}
}

func TestWindow(t *testing.T) {
	c := Campaign{Start: t0, End: t0.Add(time.Hour), Status: StatusActive}
	tests := []struct {
		name string
		c    Campaign
		now  time.Time
		want int
	}{
		{"before start", c, t0.Add(-time.Nanosecond), NotStarted},
		{"at start", c, t0, Open},
		{"just before end", c, t0.Add(time.Hour - time.Nanosecond), Open},
		{"at end", c, t0.Add(time.Hour), Ended},
		{"status ended", Campaign{Status: StatusEnded}, t0, Ended},
		{"paused still opens", Campaign{Status: StatusPaused}, t0, Open},
		{"open window", Campaign{Status: StatusActive}, t0, Open},
	}
	for _, tt := range tests {
		if got := tt.c.Window(tt.now); got != tt.want {
			t.Errorf("%s: Window = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ base, c, k, want string }{
		{"https://h5.example.cn/", "spring", "", "https://h5.example.cn/?c=spring"},
		{"https://h5.example.cn/", "spring", "AB3DE9", "https://h5.example.cn/?c=spring&k=AB3DE9"},
		{"https://h5.example.cn", "spring", "", "https://h5.example.cn/?c=spring"},
		{"https://h5.example.cn/go/", "spring", "K2", "https://h5.example.cn/go/?c=spring&k=K2"},
		{"https://h5.example.cn/?src=sms", "spring", "", "https://h5.example.cn/?src=sms&c=spring"},
	}
	for _, tt := range tests {
		if got := URL(tt.base, tt.c, tt.k); got != tt.want {
			t.Errorf("URL(%q, %q, %q) = %q, want %q", tt.base, tt.c, tt.k, got, tt.want)
		}
	}
}

func TestCQ(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"", "", false},
		{"sms_2026-03.a~b", "sms_2026-03.a~b", false},
		{"a b&c=d", "a%20b%26c%3Dd", false},
		{"渠道", "%E6%B8%A0%E9%81%93", false},
		{strings.Repeat("a", 256), strings.Repeat("a", 256), false},
		{strings.Repeat("a", 257), "", true},
		{strings.Repeat("&", 85), strings.Repeat("%26", 85), false},
		{strings.Repeat("&", 86), "", true},
		{"tab\there", "", true},
		{"\xff", "", true},
	}
	for _, tt := range tests {
		got, err := CQ(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("CQ(%q) = %q, %v", tt.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrInvalidCQ) {
			t.Errorf("CQ(%q) error kind: %v", tt.in, err)
		}
	}
}

func TestMask(t *testing.T) {
	if got := Mask("AB3DE9XY"); got != "AB****" {
		t.Errorf("Mask = %q", got)
	}
	if got := Mask("A"); got != "****" {
		t.Errorf("Mask short = %q", got)
	}
}
