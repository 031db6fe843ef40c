package cos

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// recorded is one request as it left the SDK.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
	// ContentLength is the request's declared length (-1 when unknown).
	ContentLength int64
}

// recorder is an http.Client transport that records requests and answers
// them with handler, without any network.
type recorder struct {
	mu      sync.Mutex
	reqs    []recorded
	handler http.HandlerFunc
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, recorded{
		Method: req.Method, Path: req.URL.EscapedPath(), Query: req.URL.RawQuery,
		Header: req.Header.Clone(), Body: body, ContentLength: req.ContentLength,
	})
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	r.handler(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func (r *recorder) requests() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.reqs...)
}

// okHandler answers like a permissive S3 server.
func okHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ETag", `"0123456789abcdef0123456789abcdef"`)
	w.Header().Set("x-cos-request-id", "NjQ3fake")
	q := r.URL.Query()
	switch {
	case r.Method == http.MethodPost && q.Has("uploads"):
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>upload-1</UploadId></InitiateMultipartUploadResult>`)
	case r.Method == http.MethodPost && q.Has("uploadId"):
		w.Header().Set("Content-Type", "application/xml")
		_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>"abc-3"</ETag></CompleteMultipartUploadResult>`)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// newFakeClient returns a Client whose requests go to rec.
func newFakeClient(t *testing.T, rec *recorder, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		Bucket:           "campaigns-1250000000",
		Region:           "ap-guangzhou",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDtest", "secret", "token"),
		HTTPClient:       &http.Client{Transport: rec},
		RetryMaxAttempts: 1,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
