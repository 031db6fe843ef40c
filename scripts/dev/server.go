package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/smsjump/smsjump/shared/scf/host"
)

// apiPath is where the page finds get-scheme (SMSJUMP_API_URL=/api/scheme):
// same origin, so the page needs no CORS in the emulator.
const apiPath = "/api/scheme"

// newMux serves the built page at / and get-scheme's Function URL at /api/scheme.
func newMux(pageDir string, getScheme *host.Pool, log *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	if getScheme != nil {
		fu := &functionURL{pool: getScheme, prefix: apiPath, log: log}
		mux.Handle(apiPath, fu)
		mux.Handle(apiPath+"/", fu)
	} else {
		mux.HandleFunc(apiPath, func(w http.ResponseWriter, _ *http.Request) {
			writeGatewayError(w, http.StatusServiceUnavailable, "function_missing", "get-scheme is not built: functions/get-scheme does not exist yet")
		})
	}
	mux.Handle("/", pageHandler(pageDir))
	return mux
}

// pageHandler serves the static site with the cache rules of static/README.md:
// hashed bundles are immutable, everything else is revalidated.
func pageHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "The H5 page is not built (node missing or --no-page); see the emulator's output.")
			return
		}
		name := filepath.Base(r.URL.Path)
		if strings.HasPrefix(name, "app-") || strings.HasPrefix(name, "chunk-") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// listen binds 127.0.0.1:port with a message that names the fix.
func listen(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1:%d: %w (another emulator running? pass --port)", port, err)
	}
	return ln, nil
}

// serve runs srv on ln until Shutdown; it returns once serving has stopped.
func serve(srv *http.Server, ln net.Listener, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	}()
	return done
}

func shutdownServer(srv *http.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
	}
}
