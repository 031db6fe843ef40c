package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smsjump/smsjump/shared/sandbox/smsapi"
	"github.com/smsjump/smsjump/shared/scf/host"
)

func TestSMSPrinter(t *testing.T) {
	tests := []struct{ text, link string }{
		{"【示例】张三您好，点击 http://127.0.0.1:8080/?c=demo 进入小程序。", "http://127.0.0.1:8080/?c=demo"},
		{"【示例】点击https://h5.example.cn/?c=a&k=AB3DE9，领取", "https://h5.example.cn/?c=a&k=AB3DE9"},
		{"【示例】没有链接", ""},
	}
	for _, tt := range tests {
		var out strings.Builder
		p := &smsPrinter{out: &out}
		p.print(smsapi.Message{Phone: "+8613800138000", Text: tt.text, Fee: 1})
		p.flush()
		if strings.Contains(out.String(), "13800138000") || !strings.Contains(out.String(), "138****8000") {
			t.Errorf("phone not masked: %s", out.String())
		}
		gotLink := ""
		if _, after, ok := strings.Cut(out.String(), "链接："); ok {
			gotLink = strings.TrimSpace(after)
		}
		if gotLink != tt.link {
			t.Errorf("%q: link %q, want %q", tt.text, gotLink, tt.link)
		}
	}
}

func TestPageHandler(t *testing.T) {
	dir := t.TempDir()
	h := pageHandler(dir)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/?c=demo", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("unbuilt page: %d", w.Code)
	}
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644)
	os.WriteFile(filepath.Join(dir, "app-ABC123.js"), []byte("x"), 0o644)
	tests := []struct{ path, cache string }{
		{"/?c=demo", "no-cache"},
		{"/app-ABC123.js", "public, max-age=31536000, immutable"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
		if w.Code != 200 || w.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("%s: %d, Cache-Control %q", tt.path, w.Code, w.Header().Get("Cache-Control"))
		}
	}
}

func TestGatewayStatus(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{&host.FunctionError{Message: "boom"}, 502},
		{fmt.Errorf("invoke: %w", &host.TimeoutError{Timeout: time.Second}), 504},
		{fmt.Errorf("invoke: %w", host.ErrPayloadTooLarge), 413},
		{context.Canceled, 499},
		{errors.Join(host.ErrStart, errors.New("exec format error")), 503},
	}
	for _, tt := range tests {
		if got, _ := gatewayStatus(tt.err); got != tt.status {
			t.Errorf("%v: %d, want %d", tt.err, got, tt.status)
		}
	}
}

func TestMuxWithoutGetScheme(t *testing.T) {
	mux := newMux(t.TempDir(), nil, nil)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest("GET", "/api/scheme?c=demo", nil))
	if w.Code != 503 || !strings.Contains(w.Body.String(), "function_missing") {
		t.Errorf("%d %s", w.Code, w.Body.String())
	}
}
