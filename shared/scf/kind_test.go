package scf

import (
	"os"
	"strings"
	"testing"
)

func TestKind(t *testing.T) {
	tests := map[string]EventKind{
		"http_function_url_doc.json":  KindHTTP,
		"http_apigw_doc.json":         KindHTTP,
		"http_apigw_string_bool.json": KindHTTP,
		"cos_doc.json":                KindCOS,
		"cos_merged.json":             KindCOS,
		"timer_doc.json":              KindTimer,
		"timer_no_message.json":       KindTimer,
		"ckafka_records.json":         KindUnknown,
	}
	for file, want := range tests {
		if got := Kind(readTestdata(t, file)); got != want {
			t.Errorf("Kind(%s) = %v, want %v", file, got, want)
		}
	}
	for _, raw := range []string{"", "null", "[]", `"Timer"`, "{", `{"foo":1}`, `{"Records":[]}`} {
		if got := Kind([]byte(raw)); got != KindUnknown {
			t.Errorf("Kind(%q) = %v, want unknown", raw, got)
		}
	}
}

// TestKindCoversTestdata keeps every fixture routed: a new sample must be
// recognised by the prefix of its file name.
func TestKindCoversTestdata(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		var want EventKind
		switch {
		case strings.HasPrefix(name, "http_"):
			want = KindHTTP
		case strings.HasPrefix(name, "cos_"):
			want = KindCOS
		case strings.HasPrefix(name, "timer_"):
			want = KindTimer
		default:
			want = KindUnknown
		}
		if got := Kind(readTestdata(t, name)); got != want {
			t.Errorf("Kind(%s) = %v, want %v", name, got, want)
		}
	}
}
