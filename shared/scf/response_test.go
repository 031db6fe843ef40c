package scf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
)

func TestResponseRoundTrip(t *testing.T) {
	tests := []*Response{
		{StatusCode: 200, Headers: Headers{}, Body: ""},
		{StatusCode: 200, Headers: Headers{"Content-Type": {"application/json"}}, Body: `{"openlink":"weixin://dl/business/?t=abc","expires_at":1767225600,"mode":"encrypted"}`},
		{StatusCode: 404, Headers: Headers{"Cache-Control": {"no-store"}}, Body: `{"error":"not_found","message":"链接不存在或已失效"}`},
		{StatusCode: 200, Headers: Headers{"Set-Cookie": {"a=1", "b=2"}, "Vary": {"Origin, Accept-Encoding"}}, Body: "x"},
		{StatusCode: 200, Headers: Headers{"X-Odd": {"tab\there", `quote " and \ backslash`, "line\nbreak"}}, Body: "\x00\x1f\u2028\u2029</script>&"},
		{StatusCode: 200, Headers: Headers{"Content-Type": {"image/png"}}, Body: "iVBORw0KGgo=", IsBase64Encoded: true},
	}
	for _, want := range tests {
		raw := want.AppendJSON(nil)
		if !json.Valid(raw) {
			t.Fatalf("invalid JSON: %s", raw)
		}
		got, err := ParseResponse(raw)
		if err != nil {
			t.Fatalf("ParseResponse(%s): %v", raw, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip\n got %#v\nwant %#v\njson %s", got, want, raw)
		}
		// MarshalJSON (what scf-go-lib's json.Marshal calls) says the same.
		viaStd, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		got2, err := ParseResponse(viaStd)
		if err != nil || !reflect.DeepEqual(got2, want) {
			t.Errorf("json.Marshal round trip: %#v, %v", got2, err)
		}
	}
}

// TestResponseDocShape decodes the sample of API Gateway's integrated
// response doc, with a repeated header as an array.
func TestResponseDocShape(t *testing.T) {
	raw := `{"isBase64Encoded":false,"statusCode":200,"headers":{"Content-Type":"text/html","Key":["value1","value2","value3"]},"body":"<html><body><h1>Heading</h1><p>Paragraph.</p></body></html>"}`
	r, err := ParseResponse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := Headers{"Content-Type": {"text/html"}, "Key": {"value1", "value2", "value3"}}
	if !reflect.DeepEqual(r.Headers, want) {
		t.Errorf("headers = %#v, want %#v", r.Headers, want)
	}
	// And the encoder writes that same shape back.
	if got, _ := r.Headers.MarshalJSON(); string(got) != `{"Content-Type":"text/html","Key":["value1","value2","value3"]}` {
		t.Errorf("headers JSON = %s", got)
	}
}

func TestParseResponseErrors(t *testing.T) {
	for _, raw := range []string{
		`{"statusCode":"200"}`,
		`{"statusCode":42}`,
		`{"body":"no status"}`,
		`{"statusCode":200,"headers":{"a":{"b":1}}}`,
		`[]`,
	} {
		if _, err := ParseResponse([]byte(raw)); err == nil {
			t.Errorf("ParseResponse(%s) succeeded", raw)
		}
	}
}

// TestHeadersSortedJSON: names come out sorted (as json.Marshal sorts a
// map's keys), for a few headers and for more than the encoder's small
// array holds; names without values are left out.
func TestHeadersSortedJSON(t *testing.T) {
	for _, n := range []int{1, 6, 40} {
		h := Headers{"X-Empty": {}}
		for i := range n {
			h[fmt.Sprintf("X-%c%d", 'Z'-rune(i%26), i)] = []string{fmt.Sprint(i)}
		}
		raw := h.appendJSON(nil)
		// Every value is one string: the tokens after '{' alternate name, value.
		dec := json.NewDecoder(bytes.NewReader(raw))
		var names []string
		for i := 0; ; i++ {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if s, ok := tok.(string); ok && i%2 == 1 {
				names = append(names, s)
			}
		}
		if len(names) != n || !slices.IsSorted(names) {
			t.Errorf("%d headers: names %q in %s", n, names, raw)
		}
		var back Headers
		if err := json.Unmarshal(raw, &back); err != nil || len(back) != n {
			t.Errorf("%d headers: decoded %v, %v", n, back, err)
		}
	}
}
