package scheme

import (
	"encoding/json"
	"testing"
)

// FuzzAnswerJSON: the hand-written encoder writes what json.Marshal does.
func FuzzAnswerJSON(f *testing.F) {
	f.Add("weixin://dl/business/?t=abc&cq=x", int64(1767225600), "encrypted", "pages/a", "id=<1>&b=2", "release", "春季 \u2028活动", "")
	f.Add("\x00\b\f\n\r\t\"\\\x7f", int64(-1), "", "", "\xff\xfe", "", "", "https://x/p.png")
	f.Fuzz(func(t *testing.T, link string, exp int64, mode, path, query, env, title, poster string) {
		a := answer{OpenLink: link, ExpiresAt: exp, Mode: mode, Path: path, Query: query, EnvVersion: env, Title: title, Poster: poster}
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.appendJSON(nil); string(got) != string(want) {
			t.Fatalf("appendJSON\n got %s\nwant %s", got, want)
		}
	})
}
