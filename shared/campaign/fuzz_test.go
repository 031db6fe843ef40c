package campaign

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParseManifest: no panic; an accepted manifest validates without
// panicking and survives a JSON round trip unchanged.
func FuzzParseManifest(f *testing.F) {
	for _, path := range []string{"testdata/manifest.example.json", "testdata/manifest.fixed.json"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{`{}`, `{"params":[{"column":"a","default":"b"},{"link":true}]}`, `{"validity":{"start":"2026-01-01T00:00:00Z"}}`,
		`{"target":{"query":"a={{b}}"}}`, `{"send_window":{"start":"08:00","end":"24:00"}}`, `{"qps":1e3}`, `null`, `{"a":{"b":[1,{"c":2}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(bytes.NewReader(data), testDefaults)
		if err != nil {
			if !errors.Is(err, ErrInvalidManifest) {
				t.Fatalf("error %v does not match ErrInvalidManifest", err)
			}
			return
		}
		if err := m.Validate(); err != nil && !errors.Is(err, ErrInvalidManifest) {
			t.Fatalf("Validate error %v does not match ErrInvalidManifest", err)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal accepted manifest: %v", err)
		}
		m2, err := ParseManifest(bytes.NewReader(out), testDefaults)
		if err != nil {
			t.Fatalf("re-parse %s: %v", out, err)
		}
		out2, _ := json.Marshal(m2)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the manifest:\n%s\n%s", out, out2)
		}
	})
}

// FuzzReader: no panic on any bytes; rows are numbered 1, 2, 3… on
// increasing lines and offsets; fields are valid UTF-8; resuming at a
// checkpoint gives the same rows as reading on.
func FuzzReader(f *testing.F) {
	fixture, err := os.ReadFile("testdata/rows.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fixture, uint16(80))
	f.Add(crlf(toGB18030(f, fixture)), uint16(80))
	for _, s := range []string{"phone\n1\n", "phone\r\n\"1\r\n2\"\r\n", "\xef\xbb\xbfphone,a\n\"x\"\"\",\"\n", "phone\n\"", "phone\n\xd5\xc5\xff\n", "tel\n\r\r\n,,\n"} {
		f.Add([]byte(s), uint16(16))
	}
	known := map[Reason]bool{ReasonRowTooLong: true, ReasonBadQuote: true, ReasonBadFieldCount: true}
	f.Fuzz(func(t *testing.T, data []byte, maxRow uint16) {
		opts := Options{MaxRowBytes: int(maxRow%512) + 1}
		r, err := NewReader(bytes.NewReader(data), opts)
		if err != nil {
			if !errors.Is(err, ErrNoHeader) && !errors.Is(err, ErrBadHeader) {
				t.Fatalf("NewReader: unexpected error kind %v", err)
			}
			return
		}
		var rows []Row
		var cps []Checkpoint
		line, end := 0, r.Checkpoint().Offset
		for {
			cps = append(cps, r.Checkpoint())
			row, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if row.Index != len(rows)+1 || row.Line <= line || row.End <= end || row.End > int64(len(data)) {
				t.Fatalf("row %+v after line %d end %d", row, line, end)
			}
			if row.Err != nil && !known[row.Err.Reason] {
				t.Fatalf("unknown reason %q", row.Err.Reason)
			}
			for _, fld := range row.Fields {
				if !utf8.ValidString(fld) {
					t.Fatalf("field %q is not UTF-8", fld)
				}
			}
			line, end = row.Line, row.End
			rows = append(rows, row)
		}
		if len(rows) == 0 {
			return
		}
		k := len(rows) / 2
		cp := cps[k]
		rr, err := NewReaderAt(bytes.NewReader(data[cp.Offset:]), cp, opts)
		if err != nil {
			t.Fatalf("NewReaderAt(%+v): %v", cp, err)
		}
		for i := k; ; i++ {
			row, err := rr.Read()
			if err == io.EOF {
				if i != len(rows) {
					t.Fatalf("resumed read stopped after %d rows, want %d", i, len(rows))
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if i >= len(rows) || !reflect.DeepEqual(rowKey(row), rowKey(rows[i])) {
				t.Fatalf("resumed row %d differs", i)
			}
		}
	})
}

type rowSummary struct {
	Line, Index int
	End         int64
	Fields      []string
	Phone       string
	Err         *RowError
}

func rowKey(r Row) rowSummary {
	return rowSummary{r.Line, r.Index, r.End, r.Fields, r.Phone, r.Err}
}
