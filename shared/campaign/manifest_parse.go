package campaign

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"
)

// maxManifestBytes bounds what ParseManifest reads; real manifests are a few KB.
const maxManifestBytes = 1 << 20

// ParseManifest reads a manifest strictly: a syntax error names its line and
// column, every unknown field is listed with its path (and the field probably
// meant), a wrong type names the field. Fields left out take their value from
// d. The result still needs Validate. Errors match ErrInvalidManifest.
func ParseManifest(r io.Reader, d Defaults) (Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxManifestBytes+1))
	if err != nil {
		return Manifest{}, fmt.Errorf("read manifest: %w", err)
	}
	if len(data) > maxManifestBytes {
		return Manifest{}, manifestErr("", "larger than 1 MiB; a manifest describes one campaign, not its recipients")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Windows editors add a BOM

	var generic any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return Manifest{}, syntaxProblem(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Manifest{}, manifestErr("", fmt.Sprintf("unexpected data after the JSON object at %s", position(data, dec.InputOffset())))
	}
	if _, ok := generic.(map[string]any); !ok {
		return Manifest{}, manifestErr("", "must be a JSON object {…}")
	}
	probs := unknownFields(generic, reflect.TypeFor[Manifest](), "")

	var m Manifest
	loose := json.NewDecoder(bytes.NewReader(data))
	if err := loose.Decode(&m); err != nil {
		var me *ManifestError
		if errors.As(typeProblem(data, err), &me) {
			probs = append(probs, me.Problems...)
		}
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			// Not a field of the wrong type (e.g. a bad time): the rest of
			// the object is not trustworthy enough to validate.
			return Manifest{}, &ManifestError{Problems: probs}
		}
	}
	m.applyDefaults(d)
	if len(probs) > 0 {
		// List the values that are wrong too, not only the unknown names:
		// one round of editing fixes everything.
		var me *ManifestError
		if errors.As(m.Validate(), &me) {
			probs = append(probs, me.Problems...)
		}
		return Manifest{}, &ManifestError{Problems: probs}
	}
	return m, nil
}

func syntaxProblem(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return manifestErr("", fmt.Sprintf("invalid JSON at %s: %v", position(data, se.Offset), se))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return manifestErr("", "empty or truncated JSON")
	}
	return manifestErr("", "invalid JSON: "+err.Error())
}

func typeProblem(data []byte, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return manifestErr(te.Field, fmt.Sprintf("must be %s, not %s (at %s)", jsonKind(te.Type), te.Value, position(data, te.Offset)))
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return manifestErr("", fmt.Sprintf("time %s is not RFC 3339; write e.g. 2026-03-01T09:00:00+08:00", pe.Value))
	}
	return manifestErr("", err.Error())
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Slice:
		return "a list [...]"
	case reflect.Struct, reflect.Map:
		return "an object {...}"
	}
	return t.String()
}

// position turns a byte offset into "line L column C" for people with an editor.
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:]))) + 1
	return fmt.Sprintf("line %d column %d", line, col)
}

// unknownFields walks decoded JSON against the Go type and lists every key the
// type does not have. encoding/json's DisallowUnknownFields stops at the first
// one and matches keys case-insensitively; an operator fixing a file wants all
// of them, spelled as the documentation spells them.
func unknownFields(v any, t reflect.Type, path string) []Problem {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct || t == reflect.TypeFor[time.Time]() {
			return nil // a type error the strict decoder reports
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(val))
		for k := range val {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var probs []Problem
		for _, k := range keys {
			ft, ok := fields[k]
			if !ok {
				msg := "unknown field"
				if near := nearest(k, fields); near != "" {
					msg += fmt.Sprintf("; did you mean %q?", near)
				} else {
					msg += "; see testdata/manifest.example.json for the fields"
				}
				probs = append(probs, Problem{Path: joinPath(path, k), Message: msg})
				continue
			}
			probs = append(probs, unknownFields(val[k], ft, joinPath(path, k))...)
		}
		return probs
	case []any:
		if t.Kind() != reflect.Slice {
			return nil
		}
		var probs []Problem
		for i, e := range val {
			probs = append(probs, unknownFields(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i))...)
		}
		return probs
	}
	return nil
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// nearest suggests the known field a misspelt key most likely meant.
func nearest(key string, fields map[string]reflect.Type) string {
	best, bestDist := "", 4
	lk := strings.ToLower(key)
	for name := range fields {
		d := editDistance(lk, name)
		if d < bestDist || d == bestDist && name < best {
			best, bestDist = name, d
		}
	}
	if bestDist > len(key)/2 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
