package jsonstr

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

var samples = []string{
	"", "plain", "春节快乐", `"quoted"`, `back\slash`, "ctl\x00\x01\x1f\x7f\b\f",
	"bad utf8 \xff\xfe end", "truncated \xe6\x98", "\u2028\u2029", "emoji 😀", "\r\n\t",
	"<a href=\"x\">&amp;</a>",
}

// marshal is encoding/json's output for s, HTML escaping on or off.
func marshal(t testing.TB, s string, html bool) []byte {
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(html)
	if err := e.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// check holds every style to encoding/json: exactly, once the two escapes
// ShortBF leaves long are written short (that the long ones are written
// without ShortBF is TestAppendMatchesEncodingJSON's explicit case).
func check(t testing.TB, s string) {
	for _, st := range []Style{0, HTMLSafe, ShortBF, HTMLSafe | ShortBF} {
		got := Append([]byte("x"), s, st)[1:]
		if st&ShortBF == 0 {
			got = bytes.ReplaceAll(got, []byte(`\u0008`), []byte(`\b`))
			got = bytes.ReplaceAll(got, []byte(`\u000c`), []byte(`\f`))
		}
		if want := marshal(t, s, st&HTMLSafe != 0); !bytes.Equal(got, want) {
			t.Fatalf("style %d, %q:\n got  %s\n want %s", st, s, got, want)
		}
	}
}

func TestAppendMatchesEncodingJSON(t *testing.T) {
	for _, s := range samples {
		check(t, s)
	}
	if got := string(Append(nil, "\b<", 0)); got != `"\u0008<"` {
		t.Errorf("style 0: %s", got)
	}
	if got := string(Append(nil, "\b<", HTMLSafe|ShortBF)); got != `"\b\u003c"` {
		t.Errorf("HTMLSafe|ShortBF: %s", got)
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, `\u0008`) || strings.Contains(s, `\u000c`) {
			return // the comparison's rewrite of long escapes would touch s's own text
		}
		check(t, s)
	})
}
