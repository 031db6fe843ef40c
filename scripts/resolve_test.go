package scripts

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file renders a serverless.yml exactly as the Serverless Cloud
// Framework CLI 1.3.0 resolves ${env:X} before it hands the inputs to a
// component: resolveVariables in src/libs/utils/basic.js of
// github.com/Serverlesstencent/serverless-cloud-framework, commit
// a7c19d4291895eecffe86ae333e216e186358073 ("chore(release): 1.3.0"). The
// CLI's npm package is not served by the registry we reach, so the rule is
// encoded here from that source:
//
//   - every string in the tree is scanned for /\${(\w*:?[\w\d.-]+)}/g;
//   - for each ${env:NAME} match: if the match is the whole string, the
//     value becomes process.env[NAME], which is JavaScript undefined when
//     the variable is unset; otherwise the value becomes
//     value.replace(match, process.env[NAME]) — computed from the ORIGINAL
//     string each time, so of several matches only the last is replaced in
//     one pass, String(undefined) = "undefined" is spliced in for an unset
//     variable, and $$, $&, $` and $' in the variable's value are
//     replacement patterns;
//   - if anything was resolved, the whole tree is resolved again.
//
// tencent-component-toolkit then writes an environment value as
// String(val), so an unset variable reaches the function as the text
// "undefined".

// jsUndefined is JavaScript's undefined in a rendered tree.
type jsUndefined struct{}

func (jsUndefined) String() string { return "undefined" }

var (
	cliVariable = regexp.MustCompile(`\$\{(\w*:?[\w.-]+)\}`)
	cliEnvRef   = regexp.MustCompile(`\$\{env:(\w*[\w.-_]+)\}`)
)

// renderYAML parses a serverless.yml, merges the command line's --inputs
// into its inputs and resolves it with env (the CLI's process.env: a name
// absent from env is unset), in that order, as src/libs/utils/utils.js does.
func renderYAML(src []byte, env map[string]string, args ...string) (any, error) {
	var tree any
	if err := yaml.Unmarshal(src, &tree); err != nil {
		return nil, err
	}
	if root, ok := tree.(map[string]any); ok {
		inputs, _ := root["inputs"].(map[string]any)
		root["inputs"] = mergeDeepRight(inputs, cliInputs(args))
	}
	for pass := 0; ; pass++ {
		if pass > 20 {
			return nil, fmt.Errorf("variables still unresolved after %d passes (a value refers to itself?)", pass)
		}
		var resolved bool
		tree = resolvePass(tree, env, &resolved)
		if !resolved {
			return tree, nil
		}
	}
}

func resolvePass(v any, env map[string]string, resolved *bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = resolvePass(e, env, resolved)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = resolvePass(e, env, resolved)
		}
		return x
	case string:
		return resolveString(x, env, resolved)
	}
	return v
}

func resolveString(value string, env map[string]string, resolved *bool) any {
	matches := cliVariable.FindAllString(value, -1)
	if matches == nil {
		return value
	}
	var newValue any = value
	for _, match := range matches {
		if !cliEnvRef.MatchString(match) {
			continue
		}
		name := strings.Split(match[2:len(match)-1], ":")[1]
		*resolved = true
		val, set := env[name]
		if match == value {
			if !set {
				newValue = jsUndefined{}
			} else {
				newValue = val
			}
			continue
		}
		repl := "undefined"
		if set {
			repl = val
		}
		newValue = jsReplaceFirst(value, match, repl)
	}
	return newValue
}

// jsReplaceFirst is String.prototype.replace(string, string): the first
// occurrence only, with the replacement's $ patterns expanded.
func jsReplaceFirst(s, pattern, repl string) string {
	i := strings.Index(s, pattern)
	if i < 0 {
		return s
	}
	var b strings.Builder
	for j := 0; j < len(repl); j++ {
		if repl[j] != '$' || j+1 == len(repl) {
			b.WriteByte(repl[j])
			continue
		}
		switch repl[j+1] {
		case '$':
			b.WriteByte('$')
		case '&':
			b.WriteString(pattern)
		case '`':
			b.WriteString(s[:i])
		case '\'':
			b.WriteString(s[i+len(pattern):])
		default:
			b.WriteByte('$')
			continue
		}
		j++
	}
	return s[:i] + b.String() + s[i+len(pattern):]
}

// jsString is JavaScript's String(v) for a rendered scalar, as the toolkit
// writes an environment value.
func jsString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case jsUndefined:
		return "undefined"
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// undefinedPaths lists where a rendered tree holds undefined, or a string
// that "undefined" was spliced into.
func undefinedPaths(v any, path string, out *[]string) {
	switch x := v.(type) {
	case jsUndefined:
		*out = append(*out, path+" = undefined")
	case string:
		if strings.Contains(x, "undefined") {
			*out = append(*out, fmt.Sprintf("%s = %q", path, x))
		}
	case map[string]any:
		for k, e := range x {
			undefinedPaths(e, path+"."+k, out)
		}
	case []any:
		for i, e := range x {
			undefinedPaths(e, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}

// cliInputs is parseCliInputs of basic.js: only with --inputs on the command
// line, every argument holding "=" is key=value, the value JSON when it
// parses as JSON (numbers, booleans and comma lists otherwise; those forms
// are not used by deploy.sh and not encoded here).
func cliInputs(args []string) map[string]any {
	out := map[string]any{}
	if !slices.Contains(args, "--inputs") {
		return out
	}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			continue
		}
		var parsed any
		if err := json.Unmarshal([]byte(v), &parsed); err == nil {
			out[k] = parsed
		} else {
			out[k] = v
		}
	}
	return out
}

// mergeDeepRight is ramda's: objects merge key by key, anything else from
// the right wins.
func mergeDeepRight(l, r map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range l {
		out[k] = v
	}
	for k, rv := range r {
		lm, lok := out[k].(map[string]any)
		rm, rok := rv.(map[string]any)
		if lok && rok {
			out[k] = mergeDeepRight(lm, rm)
		} else {
			out[k] = rv
		}
	}
	return out
}
