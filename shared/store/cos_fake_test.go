package store_test

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// fakeCOS is an in-process stand-in for the object calls the COS store makes
// (GET, PUT with COS and S3 conditional headers, DELETE), answering through
// an http.RoundTripper so no socket is opened. It does not check
// signatures; the real-server tests do.
type fakeCOS struct {
	mu      sync.Mutex
	objects map[string][]byte
	puts    []http.Header // headers of every PUT, for assertions
	// versioned ignores create-if-absent, like COS on a bucket that ever
	// had versioning.
	versioned bool
	// failPlain fails the next unconditional PUT (a writer dying).
	failPlain bool
}

func (f *fakeCOS) failNextPlainPut() {
	f.mu.Lock()
	f.failPlain = true
	f.mu.Unlock()
}

func newFakeCOS() *fakeCOS { return &fakeCOS{objects: map[string][]byte{}} }

func etagOf(b []byte) string {
	s := md5.Sum(b)
	return `"` + hex.EncodeToString(s[:]) + `"`
}

func (f *fakeCOS) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
	}
	rec := httptest.NewRecorder()
	f.serve(rec, req, body)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func s3Error(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, code)
}

func (f *fakeCOS) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := strings.TrimPrefix(r.URL.Path, "/")
	cur, exists := f.objects[name]
	switch r.Method {
	case http.MethodGet:
		if !exists {
			s3Error(w, http.StatusNotFound, "NoSuchKey")
			return
		}
		w.Header().Set("ETag", etagOf(cur))
		w.Header().Set("Content-Length", fmt.Sprint(len(cur)))
		_, _ = w.Write(cur)
	case http.MethodPut:
		f.puts = append(f.puts, r.Header.Clone())
		if f.failPlain && r.Header.Get("If-None-Match") == "" {
			f.failPlain = false
			s3Error(w, http.StatusForbidden, "AccessDenied")
			return
		}
		if exists && !f.versioned && r.Header.Get("x-cos-forbid-overwrite") == "true" {
			s3Error(w, http.StatusConflict, "FileAlreadyExists")
			return
		}
		if exists && !f.versioned && r.Header.Get("If-None-Match") == "*" {
			s3Error(w, http.StatusPreconditionFailed, "PreconditionFailed")
			return
		}
		if m := r.Header.Get("If-Match"); m != "" {
			if !exists {
				s3Error(w, http.StatusNotFound, "NoSuchKey")
				return
			}
			if m != etagOf(cur) {
				s3Error(w, http.StatusPreconditionFailed, "PreconditionFailed")
				return
			}
		}
		f.objects[name] = bytes.Clone(body)
		w.Header().Set("ETag", etagOf(body))
	case http.MethodDelete:
		delete(f.objects, name)
		w.WriteHeader(http.StatusNoContent)
	default:
		s3Error(w, http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
}

// putHeaders returns the headers of the PUTs so far.
func (f *fakeCOS) putHeaders() []http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]http.Header(nil), f.puts...)
}
