package campaign

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// fixtureRows is what testdata/rows.csv holds, read with MaxRowBytes 80:
// every kind of good and bad row.
var fixtureRows = []struct {
	line, index int
	fields      []string
	phone       string
	reason      Reason
}{
	{2, 1, []string{"张三", "13800138000", "u1", "普通"}, "13800138000", ""},
	{3, 2, []string{"李,四", "13900139000", "u2", "含逗号"}, "13900139000", ""},
	{4, 3, []string{"王五", "139 0013 9001", "u3", "多行\n备注"}, "139 0013 9001", ""},
	// lines 6 (empty) and 7 (",,,") are blank and skipped
	{8, 4, []string{"赵六", "13700137000", "u4", `他说"你好"`}, "13700137000", ""},
	{9, 5, []string{"孙七", "13600136000", "u5"}, "13600136000", ReasonBadFieldCount},
	{10, 6, []string{"周八", "13500135000", "u6", "x", "extra"}, "13500135000", ReasonBadFieldCount},
	{11, 7, []string{"吴九", "13400134000", "u7", ""}, "13400134000", ""}, // trailing empty extras dropped
	{12, 8, nil, "", ReasonBadQuote},    // "郑十"x
	{13, 9, nil, "", ReasonRowTooLong},  // one long line
	{14, 10, nil, "", ReasonRowTooLong}, // unclosed quote runs past the limit: only line 14 is lost
	{15, 11, []string{"蒋三", "13000130000", "u11", "ok"}, "13000130000", ""},
	{16, 12, []string{"沈四", "13000130001", "u12", "ok"}, "13000130001", ""},
	{17, 13, []string{"韩五", "13000130002", "u13", "ok"}, "13000130002", ""},
	{18, 14, nil, "", ReasonBadQuote}, // unclosed quote reaches the end of the file
	{19, 15, []string{"朱七", "13000130004", "u15", "ok"}, "13000130004", ""},
}

var fixtureOpts = Options{MaxRowBytes: 80}

func readFixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func toGB18030(t testing.TB, b []byte) []byte {
	t.Helper()
	out, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// fixtureVariants: the same rows as the editors and Excel versions write them.
func fixtureVariants(t testing.TB) map[string]struct {
	data []byte
	enc  Encoding
} {
	utf8 := readFixture(t)
	return map[string]struct {
		data []byte
		enc  Encoding
	}{
		"utf-8 lf":                 {utf8, UTF8},
		"utf-8 bom crlf":           {append([]byte("\xef\xbb\xbf"), crlf(utf8)...), UTF8},
		"gb18030 crlf (excel)":     {crlf(toGB18030(t, utf8)), GB18030},
		"gb18030 lf no final eol":  {bytes.TrimSuffix(toGB18030(t, utf8), []byte("\n")), GB18030},
		"utf-8 lf no final eol":    {bytes.TrimSuffix(utf8, []byte("\n")), UTF8},
		"utf-8 one byte at a time": {utf8, UTF8}, // read through iotest.OneByteReader below
	}
}

func readAll(t testing.TB, r *Reader) ([]Row, []Checkpoint) {
	t.Helper()
	var rows []Row
	cps := []Checkpoint{r.Checkpoint()}
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, cps
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		rows = append(rows, row)
		cps = append(cps, r.Checkpoint())
	}
}

func TestReaderFixture(t *testing.T) {
	for name, v := range fixtureVariants(t) {
		t.Run(name, func(t *testing.T) {
			var src io.Reader = bytes.NewReader(v.data)
			if strings.Contains(name, "one byte") {
				src = iotest.OneByteReader(src)
			}
			r, err := NewReader(src, fixtureOpts)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Header().Names(); !reflect.DeepEqual(got, []string{"姓名", "手机号", "uid", "备注"}) {
				t.Fatalf("header = %q", got)
			}
			if r.Header().PhoneIndex() != 1 {
				t.Fatalf("phone column = %d, want 1", r.Header().PhoneIndex())
			}
			rows, _ := readAll(t, r)
			if r.Encoding() != v.enc {
				t.Errorf("encoding = %q, want %q", r.Encoding(), v.enc)
			}
			if len(rows) != len(fixtureRows) {
				t.Fatalf("got %d rows, want %d", len(rows), len(fixtureRows))
			}
			var prevEnd int64
			for i, want := range fixtureRows {
				got := rows[i]
				reason := Reason("")
				if got.Err != nil {
					reason = got.Err.Reason
				}
				if got.Line != want.line || got.Index != want.index || reason != want.reason ||
					got.Phone != want.phone || !reflect.DeepEqual(got.Fields, want.fields) {
					t.Errorf("row %d = line %d index %d %q phone %q reason %q; want line %d index %d %q phone %q reason %q",
						i, got.Line, got.Index, got.Fields, got.Phone, reason,
						want.line, want.index, want.fields, want.phone, want.reason)
				}
				if got.End <= prevEnd || got.End > int64(len(v.data)) {
					t.Errorf("row %d: End %d after %d (file %d bytes)", i, got.End, prevEnd, len(v.data))
				}
				prevEnd = got.End
			}
			if prevEnd != int64(len(v.data)) {
				t.Errorf("last row ends at %d, file has %d bytes", prevEnd, len(v.data))
			}
			if v, ok := rows[0].Get(" 姓 名 "); !ok || v != "张三" {
				t.Errorf(`Get("姓名") = %q, %v`, v, ok)
			}
		})
	}
}

// Resuming at every row boundary, from a stream that starts there (a
// ranged read), yields exactly the rows a full read does.
func TestReaderResumeAtEveryBoundary(t *testing.T) {
	for name, v := range fixtureVariants(t) {
		t.Run(name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(v.data), fixtureOpts)
			if err != nil {
				t.Fatal(err)
			}
			full, cps := readAll(t, r)
			for k, cp := range cps {
				rr, err := NewReaderAt(bytes.NewReader(v.data[cp.Offset:]), cp, fixtureOpts)
				if err != nil {
					t.Fatalf("checkpoint %d %+v: %v", k, cp, err)
				}
				rest, _ := readAll(t, rr)
				if len(rest) != len(full)-k {
					t.Fatalf("checkpoint %d: %d rows, want %d", k, len(rest), len(full)-k)
				}
				for i := range rest {
					got, want := rest[i], full[k+i]
					if got.Line != want.Line || got.Index != want.Index || got.End != want.End ||
						got.Phone != want.Phone || !reflect.DeepEqual(got.Fields, want.Fields) || !reflect.DeepEqual(got.Err, want.Err) {
						t.Fatalf("checkpoint %d row %d:\n got %+v\nwant %+v", k, i, got, want)
					}
				}
			}
		})
	}
}

func TestReaderHeaders(t *testing.T) {
	tests := []struct {
		name   string
		csv    string
		opts   Options
		phone  int
		errIs  error
		errHas string
	}{
		{name: "phone", csv: "name,phone\n", phone: 1},
		{name: "case and spaces", csv: "name, Mobile \n", phone: 1},
		{name: "space inside chinese", csv: "姓名,手机 号\n", phone: 1},
		{name: "full-width space", csv: "姓名,\u3000手机号码\u3000\n", phone: 1},
		{name: "priority phone over tel", csv: "tel,phone\n", phone: 1},
		{name: "priority 手机号 over 电话", csv: "电话,手机号\n", phone: 1},
		{name: "priority 手机号 over 手机号码", csv: "手机号码,手机号\n", phone: 1},
		{name: "tel last resort", csv: "name,TEL\n", phone: 1},
		{name: "号码", csv: "姓名,号码\n", phone: 1},
		{name: "手机", csv: "姓名,手机\n", phone: 1},
		{name: "电话号码", csv: "姓名,电话号码\n", phone: 1},
		{name: "联系电话", csv: "姓名, 联系电话 \n", phone: 1},
		{name: "priority 手机 over 联系电话", csv: "联系电话,手机\n", phone: 1},
		{name: "priority 号码 over 电话", csv: "电话,号码\n", phone: 1},
		{name: "quoted header", csv: "\"name\",\"phone\"\n", phone: 1},
		{name: "blank lines before header", csv: "\n\n,,\nphone\n", phone: 0},
		{name: "override", csv: "联系方式,phone\n", opts: Options{PhoneColumn: "联系方式"}, phone: 0},
		{name: "override missing", csv: "phone\n", opts: Options{PhoneColumn: "联系方式"}, errIs: ErrBadHeader, errHas: "联系方式"},
		{name: "no phone column", csv: "name,uid\n1,2\n", errIs: ErrBadHeader, errHas: `"name", "uid"`},
		{name: "empty file", csv: "", errIs: ErrNoHeader},
		{name: "only bom", csv: "\xef\xbb\xbf", errIs: ErrNoHeader},
		{name: "blank file", csv: "\n \n,,\n", errIs: ErrNoHeader},
		{name: "header too long", csv: "phone," + strings.Repeat("x", 100) + "\n", opts: Options{MaxRowBytes: 64}, errIs: ErrBadHeader, errHas: "row_too_long"},
		{name: "header bad quote", csv: "\"phone\"x\n", errIs: ErrBadHeader, errHas: "bad_quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tc.csv), tc.opts)
			if tc.errIs != nil {
				if !errors.Is(err, tc.errIs) || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("err = %v, want %v containing %q", err, tc.errIs, tc.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Header().PhoneIndex() != tc.phone {
				t.Fatalf("phone column = %d, want %d", r.Header().PhoneIndex(), tc.phone)
			}
		})
	}
}

func TestPhoneColumnNamesIsACopy(t *testing.T) {
	names := PhoneColumnNames()
	names[0] = "changed"
	if PhoneColumnNames()[0] != "phone" {
		t.Fatal("PhoneColumnNames exposes the package's list")
	}
}

// The ASCII prefix decides nothing: Chinese GB18030 text after 64 KB of
// ASCII rows is still decoded as GB18030.
func TestReaderLateNonASCII(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("phone,name\r\n")
	for b.Len() < 2*DetectWindow {
		b.WriteString("13800138000,zhang san\r\n")
	}
	b.Write(toGB18030(t, []byte("13900139000,李四\r\n")))
	r, err := NewReader(bytes.NewReader(b.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Encoding() != EncodingUndecided {
		t.Fatalf("encoding after an ASCII header = %q, want undecided", r.Encoding())
	}
	rows, _ := readAll(t, r)
	last := rows[len(rows)-1]
	if last.Fields[1] != "李四" || r.Encoding() != GB18030 {
		t.Fatalf("last row %q, encoding %q", last.Fields, r.Encoding())
	}
}

// A UTF-8 character cut by the 64 KB detection window must not make the file
// look like GB18030.
func TestReaderDetectionWindowCutsCharacter(t *testing.T) {
	for cut := 1; cut <= 2; cut++ {
		var b bytes.Buffer
		b.WriteString("手机号,姓名\n")
		row := "13800138000,张三\n"
		for b.Len()+2*len(row) < DetectWindow {
			b.WriteString(row)
		}
		// Pad so that "张" (3 bytes) straddles the window edge by cut bytes.
		pad := DetectWindow - b.Len() - len("13800138000,") - (3 - cut)
		b.WriteString("13800138000," + strings.Repeat("x", pad) + "张\n")
		b.WriteString(row)
		if !bytes.Contains(b.Bytes()[DetectWindow-3:DetectWindow+3], []byte("张")) {
			t.Fatal("test file does not straddle the window")
		}
		r, err := NewReader(bytes.NewReader(b.Bytes()), Options{MaxRowBytes: DetectWindow})
		if err != nil {
			t.Fatal(err)
		}
		if r.Encoding() != UTF8 {
			t.Fatalf("cut %d: encoding %q, want utf-8", cut, r.Encoding())
		}
	}
}

func TestReaderReadErrors(t *testing.T) {
	boom := errors.New("connection reset")
	src := io.MultiReader(strings.NewReader("phone\n13800138000\n1390013"), iotest.ErrReader(boom))
	r, err := NewReader(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(); err != nil {
		t.Fatalf("first row: %v", err)
	}
	if _, err := r.Read(); !errors.Is(err, boom) {
		t.Fatalf("second row err = %v, want %v", err, boom)
	}
	if _, err := r.Read(); !errors.Is(err, boom) {
		t.Fatalf("the error is not sticky: %v", err)
	}
}

func TestNewReaderAtRejectsBadCheckpoints(t *testing.T) {
	good := Checkpoint{Offset: 10, Line: 1, Index: 0, Header: []string{"phone"}}
	for name, mut := range map[string]func(*Checkpoint){
		"zero offset":      func(c *Checkpoint) { c.Offset = 0 },
		"index past lines": func(c *Checkpoint) { c.Index = 2 },
		"no header":        func(c *Checkpoint) { c.Header = nil },
		"bad encoding":     func(c *Checkpoint) { c.Encoding = "latin1" },
	} {
		cp := good
		mut(&cp)
		if _, err := NewReaderAt(strings.NewReader(""), cp, Options{}); !errors.Is(err, ErrBadCheckpoint) {
			t.Errorf("%s: err = %v, want ErrBadCheckpoint", name, err)
		}
	}
	if _, err := NewReaderAt(strings.NewReader(""), good, Options{}); err != nil {
		t.Errorf("good checkpoint: %v", err)
	}
}

// rowSource generates a long CSV without holding it in memory or allocating
// per row, so that allocation counts are the reader's own.
type rowSource struct {
	n, rows int
	pending []byte
	lines   [][]byte
}

func newRowSource(rows int) *rowSource {
	s := &rowSource{rows: rows}
	for k := range 200 {
		s.lines = append(s.lines, []byte("13800138000,\"张,三\",一些备注文字"+strings.Repeat("x", k)+"\r\n"))
	}
	return s
}

func (s *rowSource) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		if s.n == s.rows {
			return 0, io.EOF
		}
		s.n++
		s.pending = s.lines[s.n%len(s.lines)]
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

// Memory stays flat: the read buffer never grows and a row costs a bounded
// number of allocations, however long the file.
func TestReaderMemoryFlat(t *testing.T) {
	src := newRowSource(200000)
	r, err := NewReader(io.MultiReader(strings.NewReader("phone,name,note\r\n"), src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	bufLen := len(r.sc.buf)
	allocs := testing.AllocsPerRun(100000, func() {
		if _, err := r.Read(); err != nil {
			t.Fatal(err)
		}
	})
	if len(r.sc.buf) != bufLen {
		t.Fatalf("buffer grew from %d to %d", bufLen, len(r.sc.buf))
	}
	// One string for the fields and one slice of them.
	if allocs > 2 {
		t.Fatalf("%.1f allocations per row, want ≤ 2", allocs)
	}
}
