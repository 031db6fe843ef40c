package smsapi

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The signature algorithm against the worked example of the TC3 document,
// independent of both the SDK and the sandbox's own request handling.
func TestTC3DocumentExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/tc3_document_example.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Authorization string `json:"authorization"`
		SecretKey     string `json:"secret_key"`
		Host          string `json:"host"`
		ContentType   string `json:"content_type"`
		Timestamp     string `json:"timestamp"`
		Payload       string `json:"payload"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	a, ok := parseAuthorization(v.Authorization)
	if !ok {
		t.Fatalf("parseAuthorization(%q) failed", v.Authorization)
	}
	names, ok := signedHeaderNames(a.signedHeaders)
	if !ok {
		t.Fatalf("signedHeaderNames(%q) failed", a.signedHeaders)
	}
	r := httptest.NewRequest(http.MethodPost, "https://"+v.Host+"/", strings.NewReader(v.Payload))
	r.Header.Set("Content-Type", v.ContentType)
	got := tc3Signature(r, []byte(v.Payload), a, names, v.Timestamp, deriveKey(v.SecretKey, a.date, a.service))
	if got != a.signature {
		t.Fatalf("signature %x, document says %x", got, a.signature)
	}
}

func TestSDKRequestsAccepted(t *testing.T) {
	s := startServer(t, nil)
	for _, c := range []struct{ name, id, key, token string }{
		{"permanent key", testID, testKey, ""},
		{"temporary key with token", tempID, tempKey, tempToken},
	} {
		t.Run(c.name, func(t *testing.T) {
			phone := mobiles(1, len(c.name))
			resp, code := send(t, sdkClient(t, s.URL(), c.id, c.key, c.token), newRequest(tplNotice, []string{"张三"}, phone...))
			if code != "" {
				t.Fatalf("request error %s", code)
			}
			if got := codes(resp); len(got) != 1 || got[0] != CodeOK {
				t.Fatalf("codes %v", got)
			}
		})
	}
}

func TestSDKAuthFailures(t *testing.T) {
	s := startServer(t, nil)
	cases := []struct {
		name, id, key, token, want string
	}{
		{"wrong secret key", testID, "not-the-key", "", CodeSignatureFailure},
		{"unknown secret id", "AKIDunknown", testKey, "", CodeSecretIDNotFound},
		{"temporary key without token", tempID, tempKey, "", CodeTokenFailure},
		{"temporary key with wrong token", tempID, tempKey, "other-token", CodeTokenFailure},
		{"permanent key with a token", testID, testKey, tempToken, CodeTokenFailure},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, code := send(t, sdkClient(t, s.URL(), c.id, c.key, c.token), newRequest(tplNotice, []string{"张三"}, mobiles(1, 10)...))
			if code != c.want {
				t.Fatalf("code %q, want %q", code, c.want)
			}
		})
	}
}

func TestSignatureExpire(t *testing.T) {
	for _, shift := range []time.Duration{-6 * time.Minute, 6 * time.Minute} {
		s := startServer(t, func(o *Options) { o.AuthNow = func() time.Time { return time.Now().Add(shift) } })
		_, code := send(t, sdkClient(t, s.URL(), testID, testKey, ""), newRequest(tplNotice, []string{"a"}, mobiles(1, 0)...))
		if code != CodeSignatureExpire {
			t.Errorf("server clock %v: code %q, want %q", shift, code, CodeSignatureExpire)
		}
	}
}

func TestCredentialRotation(t *testing.T) {
	s := startServer(t, nil)
	old := sdkClient(t, s.URL(), tempID, tempKey, tempToken)
	if _, code := send(t, old, newRequest(tplNotice, []string{"a"}, mobiles(1, 0)...)); code != "" {
		t.Fatalf("before rotation: %s", code)
	}
	s.SetCredentials(map[string]Credential{"AKIDrotated": {SecretKey: "rotatedKey", Token: "rotatedToken"}})
	if _, code := send(t, old, newRequest(tplNotice, []string{"a"}, mobiles(1, 1)...)); code != CodeSecretIDNotFound {
		t.Fatalf("old key after rotation: %q, want %q", code, CodeSecretIDNotFound)
	}
	fresh := sdkClient(t, s.URL(), "AKIDrotated", "rotatedKey", "rotatedToken")
	if _, code := send(t, fresh, newRequest(tplNotice, []string{"a"}, mobiles(1, 2)...)); code != "" {
		t.Fatalf("new key: %s", code)
	}
}

// captured is one request exactly as the SDK sent it.
type captured struct {
	header http.Header
	host   string
	body   []byte
}

type recorder struct {
	mu   sync.Mutex
	last captured
}

func (rec *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	rec.mu.Lock()
	rec.last = captured{header: r.Header.Clone(), host: r.Host, body: body}
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return http.DefaultTransport.RoundTrip(r)
}

// capture sends one SendSms with the SDK and returns the signed request.
func capture(t *testing.T, s *Server) captured {
	t.Helper()
	rec := &recorder{}
	c := sdkClient(t, s.URL(), tempID, tempKey, tempToken)
	c.WithHttpTransport(rec)
	if _, code := send(t, c, newRequest(tplNotice, []string{"张三"}, mobiles(2, 500)...)); code != "" {
		t.Fatalf("capture: %s", code)
	}
	return rec.last
}

// replay posts a (modified) captured request and returns the error code.
func replay(t *testing.T, s *Server, method string, c captured) string {
	t.Helper()
	req, err := http.NewRequest(method, s.URL()+"/", bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = c.header
	req.Host = c.host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: the API answers errors with 200", resp.StatusCode)
	}
	var out struct {
		Response struct {
			Error     struct{ Code string }
			RequestId string
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Response.RequestId == "" {
		t.Error("reply without RequestId")
	}
	return out.Response.Error.Code
}

func TestTamperedRequests(t *testing.T) {
	s := startServer(t, nil)
	orig := capture(t, s)
	ts, _ := strconv.ParseInt(orig.header.Get("X-TC-Timestamp"), 10, 64)
	cases := []struct {
		name   string
		method string
		mutate func(c *captured)
		want   string
	}{
		{"unchanged replay", "", func(*captured) {}, ""},
		{"body changed", "", func(c *captured) { c.body = bytes.Replace(c.body, []byte("张三"), []byte("李四"), 1) }, CodeSignatureFailure},
		{"body extended", "", func(c *captured) { c.body = append(c.body, ' ') }, CodeSignatureFailure},
		{"host changed", "", func(c *captured) { c.host = "sms.tencentcloudapi.com" }, CodeSignatureFailure},
		{"content type changed", "", func(c *captured) { c.header.Set("Content-Type", "application/json; charset=utf-8") }, CodeSignatureFailure},
		{"timestamp within skew but not signed", "", func(c *captured) { c.header.Set("X-TC-Timestamp", strconv.FormatInt(ts-10, 10)) }, CodeSignatureFailure},
		{"stale timestamp", "", func(c *captured) { c.header.Set("X-TC-Timestamp", strconv.FormatInt(ts-301, 10)) }, CodeSignatureExpire},
		{"future timestamp", "", func(c *captured) { c.header.Set("X-TC-Timestamp", strconv.FormatInt(ts+301, 10)) }, CodeSignatureExpire},
		{"missing timestamp", "", func(c *captured) { c.header.Del("X-TC-Timestamp") }, CodeMissingParameter},
		{"scope date changed", "", func(c *captured) {
			c.header.Set("Authorization", strings.Replace(c.header.Get("Authorization"), time.Unix(ts, 0).UTC().Format(time.DateOnly), "2001-01-01", 1))
		}, CodeSignatureFailure},
		{"scope service changed", "", func(c *captured) {
			c.header.Set("Authorization", strings.Replace(c.header.Get("Authorization"), "/sms/", "/cvm/", 1))
		}, CodeSignatureFailure},
		{"signature flipped", "", func(c *captured) {
			a := c.header.Get("Authorization")
			last := a[len(a)-1]
			flip := byte('0')
			if last == '0' {
				flip = '1'
			}
			c.header.Set("Authorization", a[:len(a)-1]+string(flip))
		}, CodeSignatureFailure},
		{"not TC3", "", func(c *captured) { c.header.Set("Authorization", "Bearer abc") }, CodeInvalidAuthorization},
		{"signed headers without host", "", func(c *captured) {
			c.header.Set("Authorization", strings.Replace(c.header.Get("Authorization"), "content-type;host", "content-type", 1))
		}, CodeInvalidAuthorization},
		{"token removed", "", func(c *captured) { c.header.Del("X-TC-Token") }, CodeTokenFailure},
		{"unknown action", "", func(c *captured) { c.header.Set("X-TC-Action", "SendSmsNow") }, CodeInvalidAction},
		{"other sms action", "", func(c *captured) { c.header.Set("X-TC-Action", "PullSmsSendStatusByPhoneNumber") }, CodeUnsupportedOperation},
		{"missing action", "", func(c *captured) { c.header.Del("X-TC-Action") }, CodeMissingParameter},
		{"old version", "", func(c *captured) { c.header.Set("X-TC-Version", "2019-07-11") }, CodeNoSuchVersion},
		{"missing region", "", func(c *captured) { c.header.Del("X-TC-Region") }, CodeMissingParameter},
		{"unknown region", "", func(c *captured) { c.header.Set("X-TC-Region", "ap-tokyo") }, CodeUnsupportedRegion},
		{"GET", http.MethodGet, func(*captured) {}, CodeUnsupportedProtocol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := captured{header: orig.header.Clone(), host: orig.host, body: bytes.Clone(orig.body)}
			c.mutate(&m)
			method := c.method
			if method == "" {
				method = http.MethodPost
			}
			if got := replay(t, s, method, m); got != c.want {
				t.Fatalf("code %q, want %q", got, c.want)
			}
		})
	}
}

// signedPost sends body as a SendSms call signed with testID, the way the
// SDK signs (the signing itself is checked by the tests above).
func signedPost(t *testing.T, s *Server, body string) string {
	t.Helper()
	host := strings.TrimPrefix(s.URL(), "http://")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	date := time.Now().UTC().Format(time.DateOnly)
	auth := tc3Algorithm + " Credential=" + testID + "/" + date + "/sms/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("0", 64)
	a, _ := parseAuthorization(auth)
	r := httptest.NewRequest(http.MethodPost, s.URL()+"/", nil)
	r.Host = host
	r.Header.Set("Content-Type", "application/json")
	sig := tc3Signature(r, []byte(body), a, []string{"content-type", "host"}, ts, deriveKey(testKey, date, "sms"))
	c := captured{header: http.Header{}, host: host, body: []byte(body)}
	c.header.Set("Content-Type", "application/json")
	c.header.Set("Authorization", strings.Replace(auth, strings.Repeat("0", 64), hex.EncodeToString(sig[:]), 1))
	c.header.Set("X-TC-Timestamp", ts)
	c.header.Set("X-TC-Action", "SendSms")
	c.header.Set("X-TC-Version", "2021-01-11")
	c.header.Set("X-TC-Region", "ap-guangzhou")
	return replay(t, s, http.MethodPost, c)
}

func TestRequestBodyErrors(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"valid", `{"PhoneNumberSet":["+8613800000001"],"SmsSdkAppId":"` + testApp + `","TemplateId":"` + tplNoParam + `","SignName":"` + testSign + `"}`, ""},
		{"unknown field", `{"PhoneNumberSet":["+8613800000001"],"Foo":1}`, CodeUnknownParameter},
		{"not JSON", `{"PhoneNumberSet":`, CodeJSONParseFail},
		{"wrong type", `{"PhoneNumberSet":"+8613800000001"}`, CodeJSONParseFail},
		{"too large", `{"SessionContext":"` + strings.Repeat("x", maxBody) + `"}`, CodeRequestSizeLimit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := signedPost(t, s, tc.body); got != tc.want {
				t.Fatalf("code %q, want %q", got, tc.want)
			}
		})
	}
}
