package scf

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestMultiValues(t *testing.T) {
	tests := []struct {
		in   string
		want MultiValues
	}{
		{`null`, nil},
		{` {} `, MultiValues{}},
		{`{"a":"1","b":["x","y"],"c":true,"d":false,"e":null,"f":-1.5e3,"g":[]}`,
			MultiValues{"a": {"1"}, "b": {"x", "y"}, "c": {""}, "f": {"-1.5e3"}, "g": {}}},
		{`{"a":[1,true,null,false,"s"]}`, MultiValues{"a": {"1", "", "s"}}},
		{`{"k\u00e9y":"line\nbreak \"q\" \u6625"}`, MultiValues{"kéy": {"line\nbreak \"q\" 春"}}},
		{"{\"a\":\"bad \xff utf8\"}", MultiValues{"a": {"bad \ufffd utf8"}}},
		{`{"a":"1","a":"2"}`, MultiValues{"a": {"2"}}},
		{`{"a":"1","a":null}`, MultiValues{}},
		{"{ \"a\" :\t[ \"1\" , \"2\" ]\n}", MultiValues{"a": {"1", "2"}}},
	}
	for _, tt := range tests {
		var got MultiValues
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`[]`, `"s"`, `{"a":{"b":1}}`, `{"a":[[1]]}`, `{"a":[{}]}`, `{"a":1e}`, `{"a":01}`, `{"a":1.}`, `{"a":-.5}`, `{"a":--1}`, `{"a":"1",}`, `{"a" "1"}`, `{"a":"1"} x`, `{"a":"1`} {
		var got MultiValues
		if err := got.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s: accepted as %#v", bad, got)
		}
	}
}

func TestMultiValuesSlicesAreIndependent(t *testing.T) {
	var m MultiValues
	if err := json.Unmarshal([]byte(`{"a":"1","b":"2"}`), &m); err != nil {
		t.Fatal(err)
	}
	_ = append(m["a"], "x") // must not spill into b's window
	if m["b"][0] != "2" {
		t.Fatalf("appending to a overwrote b: %q", m["b"])
	}
}

func TestLenientScalars(t *testing.T) {
	bools := map[string]bool{`true`: true, `false`: false, `null`: false, `"true"`: true, `"TRUE"`: true, `" false "`: false, `""`: false}
	for in, want := range bools {
		var b LenientBool
		if err := json.Unmarshal([]byte(in), &b); err != nil || bool(b) != want {
			t.Errorf("LenientBool %s = %v, %v; want %v", in, b, err, want)
		}
	}
	for _, in := range []string{`1`, `"yes"`, `[]`} {
		var b LenientBool
		if err := json.Unmarshal([]byte(in), &b); err == nil {
			t.Errorf("LenientBool accepted %s", in)
		}
	}
	ints := map[string]int64{`1029`: 1029, `"77"`: 77, `null`: 0, `""`: 0}
	for in, want := range ints {
		var n LenientInt64
		if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
			t.Errorf("LenientInt64 %s = %v, %v; want %v", in, n, err, want)
		}
	}
	for _, in := range []string{`1.5`, `"big"`, `true`} {
		var n LenientInt64
		if err := json.Unmarshal([]byte(in), &n); err == nil {
			t.Errorf("LenientInt64 accepted %s", in)
		}
	}
	var s LenientString
	if err := json.Unmarshal([]byte(`1250000000`), &s); err != nil || s != "1250000000" {
		t.Errorf("LenientString number = %q, %v", s, err)
	}
}

// FuzzMultiValues checks the hand-written scanner against encoding/json: it
// never accepts invalid JSON, and where both succeed they agree.
func FuzzMultiValues(f *testing.F) {
	f.Add([]byte(`{"a":"1","b":["x",2,true,null],"c":false}`))
	f.Add([]byte(`{"k\u00e9y":"v\n"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got MultiValues
		if got.UnmarshalJSON(data) != nil {
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var ref map[string]any
		if err := dec.Decode(&ref); err != nil {
			t.Fatalf("reference decoder failed on accepted input %q: %v", data, err)
		}
		if ref == nil {
			if got != nil {
				t.Fatalf("null decoded to %#v", got)
			}
			return
		}
		want := MultiValues{}
		for k, v := range ref {
			var vs []string
			var add func(any) bool
			add = func(v any) bool {
				switch v := v.(type) {
				case string:
					vs = append(vs, v)
				case json.Number:
					vs = append(vs, string(v))
				case bool:
					if v {
						vs = append(vs, "")
					}
				case nil:
				default:
					return false
				}
				return true
			}
			switch v := v.(type) {
			case []any:
				vs = []string{}
				for _, it := range v {
					if !add(it) {
						t.Fatalf("accepted nested value in %q", data)
					}
				}
				want[k] = vs
			default:
				if !add(v) {
					t.Fatalf("accepted object value in %q", data)
				}
				if vs != nil {
					want[k] = vs
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got %#v\nwant %#v", data, got, want)
		}
	})
}
