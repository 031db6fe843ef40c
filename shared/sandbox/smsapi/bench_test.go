package smsapi

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signedRequest builds a SendSms HTTP request signed like the SDK signs it.
func signedRequest(tb testing.TB, host string, body []byte) *http.Request {
	tb.Helper()
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	date := now.UTC().Format(time.DateOnly)
	r := httptest.NewRequest(http.MethodPost, "http://"+host+"/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	a := authorization{secretID: testID, date: date, service: "sms", signedHeaders: "content-type;host"}
	sig := tc3Signature(r, body, a, []string{"content-type", "host"}, ts, deriveKey(testKey, date, "sms"))
	r.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s/%s/sms/tc3_request, SignedHeaders=content-type;host, Signature=%s",
		tc3Algorithm, testID, date, hex.EncodeToString(sig[:])))
	r.Header.Set("X-TC-Timestamp", ts)
	r.Header.Set("X-TC-Action", "SendSms")
	r.Header.Set("X-TC-Version", apiVersion)
	r.Header.Set("X-TC-Region", "ap-guangzhou")
	return r
}

func sendSmsBody(tb testing.TB, phones int) []byte {
	tb.Helper()
	body, err := json.Marshal(sendSmsRequest{
		PhoneNumberSet:   mobiles(phones, 0),
		SmsSdkAppId:      testApp,
		TemplateId:       tplNotice,
		SignName:         testSign,
		TemplateParamSet: []string{"张三"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// BenchmarkServeHTTP is the sandbox's cost per SendSms call in a load run
// (limits off, counters only), without the network.
func BenchmarkServeHTTP(b *testing.B) {
	for _, phones := range []int{1, 200} {
		b.Run(fmt.Sprintf("phones=%d", phones), func(b *testing.B) {
			s, err := New(func() Options {
				o := testOptions()
				o.KeepMessages, o.SameContentInterval, o.DailyLimit, o.QPS = false, -1, -1, -1
				o.Now = func() time.Time { return beijingTime(12, 0) }
				return o
			}())
			if err != nil {
				b.Fatal(err)
			}
			body := sendSmsBody(b, phones)
			tmpl := signedRequest(b, "127.0.0.1:1", body)
			b.ReportAllocs()
			for b.Loop() {
				r := tmpl.Clone(tmpl.Context())
				r.Body = readCloser{bytes.NewReader(body)}
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"Error"`) {
					b.Fatalf("reply %d %s", w.Code, w.Body)
				}
			}
		})
	}
}

// BenchmarkAuthenticate is the signature check alone.
func BenchmarkAuthenticate(b *testing.B) {
	s, err := New(testOptions())
	if err != nil {
		b.Fatal(err)
	}
	body := sendSmsBody(b, 200)
	r := signedRequest(b, "127.0.0.1:1", body)
	b.ReportAllocs()
	for b.Loop() {
		if e := s.authenticate(r, body); e != nil {
			b.Fatal(e.Code)
		}
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
