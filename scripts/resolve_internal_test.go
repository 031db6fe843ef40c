package scripts

import (
	"reflect"
	"testing"
)

// The renderer follows the CLI's quirks, not an idealised substitution.
func TestRenderLikeTheCLI(t *testing.T) {
	src := []byte(`
whole: ${env:SET}
empty: ${env:EMPTY}
unset: ${env:UNSET}
both: ${env:SET}.cos.${env:OTHER}.myqcloud.com
half: ${env:UNSET}.cos.${env:SET}.myqcloud.com
dollar: x-${env:DOLLAR}-y
list: [a, "${env:SET}"]
notenv: $DEFAULT
bool: true
`)
	got, err := renderYAML(src, map[string]string{"SET": "b-1250000000", "EMPTY": "", "OTHER": "ap-guangzhou", "DOLLAR": "p$$w"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"whole":  "b-1250000000",
		"empty":  "",
		"unset":  jsUndefined{},
		"both":   "b-1250000000.cos.ap-guangzhou.myqcloud.com",
		"half":   "undefined.cos.b-1250000000.myqcloud.com",
		"dollar": "x-p$w-y", // $$ is a replacement pattern: a password with $$ loses a $
		"list":   []any{"a", "b-1250000000"},
		"notenv": "$DEFAULT",
		"bool":   true,
		"inputs": map[string]any{}, // the CLI always sets inputs (merged with --inputs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rendered\n%#v\nwant\n%#v", got, want)
	}
	var bad []string
	undefinedPaths(got, "", &bad)
	if len(bad) != 2 {
		t.Errorf("undefined found at %v, want .unset and .half", bad)
	}
}
