package send

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/smsjump/smsjump/shared/excelcsv"
)

func TestResultCSV(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want string
	}{
		{"sent", Result{Row: 1, Phone: "+8613800138000", State: StateSent, SerialNo: "2433:1", Fee: 1, Segments: 1},
			"1,+8613800138000,sent,,,2433:1,1,1,false\r\n"},
		{"raw cell with comma and quote", Result{Row: 2, Phone: `1,"3`, State: StateRejected, Reason: "invalid_phone"},
			"2,\"1,\"\"3\",rejected,invalid_phone,,,0,0,false\r\n"},
		{"formula is defused", Result{Row: 3, Phone: "=HYPERLINK(1)", State: StateRejected, Reason: "invalid_phone"},
			"3,'=HYPERLINK(1),rejected,invalid_phone,,,0,0,false\r\n"},
		{"in flight", Result{Row: 4, Phone: "+8613800138000", State: StateSent, InFlightAtCrash: true},
			"4,+8613800138000,sent,,,,0,0,true\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.r.appendCSV(nil)); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// FuzzResultCSV: whatever a cell of the uploaded CSV held, the result line
// parses back as exactly nine fields with the row number first.
func FuzzResultCSV(f *testing.F) {
	for _, s := range []string{"", "13800138000", `a,"b`, "x\r\ny", "=1+2", "-3", "+86 138", "\xff\xfe"} {
		f.Add(s, "invalid_phone", "detail, with comma")
	}
	f.Fuzz(func(t *testing.T, phone, reason, code string) {
		r := Result{Row: 7, Phone: phone, State: StateRejected, Reason: reason, Code: code}
		line := string(r.appendCSV(nil))
		recs, err := csv.NewReader(strings.NewReader(line)).ReadAll()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if len(recs) != 1 || len(recs[0]) != len(resultHeader) || recs[0][0] != "7" || recs[0][2] != StateRejected {
			t.Fatalf("%q parsed as %q", line, recs)
		}
		if p := recs[0][1]; p != "" && strings.ContainsAny(p[:1], "=@") {
			t.Fatalf("formula left in %q", p)
		}
	})
}

func BenchmarkResultAppendCSV(b *testing.B) {
	b.ReportAllocs()
	r := Result{Row: 123456, Phone: "+8613800138000", State: StateSent, SerialNo: "2433:102393910717312987", Fee: 1, Segments: 1}
	var buf []byte
	for b.Loop() {
		buf = r.appendCSV(buf[:0])
	}
}

func TestReadResultsRoundTrip(t *testing.T) {
	rows := []Result{
		{Row: 1, Phone: "+8613800138000", State: StateSent, SerialNo: "2433:1", Fee: 1, Segments: 1},
		{Row: 2, Phone: "=cmd|' /C calc'!A0", State: StateRejected, Reason: "invalid_phone", Code: "a,b \"c\""},
		{Row: 3, Phone: "+8613900139000", State: StateSent, Fee: 2, Segments: 2, InFlightAtCrash: true},
	}
	var b []byte
	b = append(b, excelcsv.BOM...)
	for i, h := range resultHeader {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, h...)
	}
	b = append(b, '\r', '\n')
	for i := range rows {
		b = rows[i].appendCSV(b)
	}
	var got []Result
	if err := ReadResults(bytes.NewReader(b), func(r Result) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	rows[1].Phone = "'" + rows[1].Phone // defused for Excel on the way out
	if !reflect.DeepEqual(got, rows) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, rows)
	}
	for name, bad := range map[string][]byte{
		"no BOM":       b[len(excelcsv.BOM):],
		"rows skipped": bytes.Replace(b, []byte("\r\n2,"), []byte("\r\n5,"), 1),
	} {
		if err := ReadResults(bytes.NewReader(bad), func(Result) error { return nil }); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
