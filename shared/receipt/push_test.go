package receipt_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/blob"
	"github.com/smsjump/smsjump/shared/receipt"
)

// docBody is the callback sample of the Tencent SMS docs (two reports).
const docBody = `[
 {"user_receive_time":"2015-10-17 08:03:04","nationcode":"86","mobile":"13900000001","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"2019:6:12345","ext":{}},
 {"user_receive_time":"2015-10-17 08:03:05","nationcode":"86","mobile":"13900000002","report_status":"FAIL","errmsg":"UNDELIV","description":"用户短信未送达","sid":"2019:6:12346"}
]`

func TestParsePush(t *testing.T) {
	rs, bad, err := receipt.ParsePush([]byte(docBody))
	if err != nil || bad != 0 || len(rs) != 2 {
		t.Fatalf("ParsePush = %v, %d, %v", rs, bad, err)
	}
	want0 := receipt.Receipt{SerialNo: "2019:6:12345", Delivered: true, Code: "DELIVRD", Detail: "用户短信送达成功",
		At: time.Date(2015, 10, 17, 0, 3, 4, 0, time.UTC)}
	if !rs[0].At.Equal(want0.At) || rs[0].SerialNo != want0.SerialNo || !rs[0].Delivered || rs[0].Code != "DELIVRD" {
		t.Errorf("first = %+v, want %+v", rs[0], want0)
	}
	if rs[1].Delivered || rs[1].Code != "UNDELIV" {
		t.Errorf("second = %+v", rs[1])
	}
	// Items that are not reports are skipped and counted; the rest is kept.
	rs, bad, err = receipt.ParsePush([]byte(`[{"sid":"a","report_status":"SUCCESS"},{"sid":"","report_status":"FAIL"},{"sid":"b","report_status":"MAYBE"},7]`))
	if err != nil || bad != 3 || len(rs) != 1 {
		t.Fatalf("mixed = %v, %d, %v", rs, bad, err)
	}
	for _, body := range []string{``, `{"sid":"a"}`, `[{"sid":"a"`, `"13900000001"`} {
		if _, _, err := receipt.ParsePush([]byte(body)); !errors.Is(err, receipt.ErrBadBody) {
			t.Errorf("ParsePush(%q) = %v, want ErrBadBody", body, err)
		}
	}
}

func FuzzParsePush(f *testing.F) {
	f.Add([]byte(docBody))
	f.Add([]byte(`[{"sid":"x","report_status":"fail","user_receive_time":"bad"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		rs, bad, err := receipt.ParsePush(body)
		if err != nil {
			if strings.Contains(err.Error(), "1390") {
				t.Fatalf("error echoes the body: %v", err)
			}
			return
		}
		if bad < 0 {
			t.Fatal("negative bad")
		}
		for _, r := range rs {
			if r.SerialNo == "" {
				t.Fatal("receipt without serial")
			}
		}
	})
}

func fileBucket(t *testing.T) *blob.Bucket {
	t.Helper()
	b, err := blob.Open(t.Context(), "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestPushHandler(t *testing.T) {
	b := fileBucket(t)
	var logs bytes.Buffer
	in := receipt.NewInbox(b, nil)
	h := &receipt.PushHandler{Inbox: in, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
	cases := []struct {
		name, method, body string
		status             int
		want               string
	}{
		{"doc sample", "POST", docBody, 200, `{"result":0,"errmsg":"OK"}`},
		{"replayed batch", "POST", docBody, 200, `{"result":0,"errmsg":"OK"}`},
		{"empty array", "POST", `[]`, 200, `{"result":0,"errmsg":"OK"}`},
		{"not an array", "POST", `{"mobile":"13900000009"}`, 400, `"error":"bad_request"`},
		{"truncated", "POST", `[{"mobile":"13900000009",`, 400, `"error":"bad_request"`},
		{"GET", "GET", ``, 405, `"error":"method_not_allowed"`},
		{"too large", "POST", "[" + strings.Repeat(" ", receipt.MaxPushBody) + "]", 413, `"error":"too_large"`},
	}
	for _, tc := range cases {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tc.method, "/cb/x/sms-status", strings.NewReader(tc.body)))
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, w.Body, tc.status, tc.want)
		}
	}
	if strings.Contains(logs.String(), "1390000") {
		t.Errorf("a phone number reached the log:\n%s", logs.String())
	}
	batches, err := in.Batches(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	// Two stored batches (the replay is stored too: matching makes it a
	// duplicate), none for the empty or rejected bodies.
	if len(batches) != 2 || len(batches[0].Receipts) != 2 || batches[0].Arrived.IsZero() {
		t.Fatalf("inbox = %+v", batches)
	}
}

// TestPushHandlerStorageDown: a closed bucket stands for one refusing writes.
func TestPushHandlerStorageDown(t *testing.T) {
	b := fileBucket(t)
	b.Close()
	h := &receipt.PushHandler{Inbox: receipt.NewInbox(b, nil), Log: slog.New(slog.DiscardHandler)}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(docBody)))
	if w.Code != 503 || !strings.Contains(w.Body.String(), `"result":1`) {
		t.Fatalf("storage down: %d %s, want 503 with result 1 (Tencent retries)", w.Code, w.Body)
	}
}
