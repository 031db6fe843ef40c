package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/smsjump/smsjump/shared/blob"
)

// quietPeriod is how long a file must see no write before it counts as
// fully written; a copy in progress keeps resetting it.
const quietPeriod = 500 * time.Millisecond

// watcher is the local bucket's COS trigger: a .csv that appears in
// uploads/ (prefix uploads/, suffix .csv, as serverless.yml filters) fires
// once per version of the file. A version is the blob ETag, which changes on
// every rewrite, so saving the same file again triggers again, as a new PUT
// does on COS, while the events of one write trigger once.
type watcher struct {
	dir    string // the watched directory: uploads, suppress or unsuppress
	prefix string // its key prefix, e.g. uploads/
	bucket *blob.Bucket
	fire   func(ctx context.Context, obj cosObject)
	log    *slog.Logger

	fs       *fsnotify.Watcher
	mu       sync.Mutex
	pending  map[string]*time.Timer // file name → settle timer
	seen     map[string]string      // key → ETag already fired
	stopping bool
	wg       sync.WaitGroup
}

func newWatcher(dir string, bucket *blob.Bucket, fire func(context.Context, cosObject), log *slog.Logger) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	w := &watcher{dir: dir, prefix: filepath.Base(dir) + "/", bucket: bucket, fire: fire, log: log, fs: fw,
		pending: map[string]*time.Timer{}, seen: map[string]string{}}
	// Keys below uploads/ may hold slashes (uploads/2026/x.csv match the
	// trigger's prefix too): watch every directory of the tree.
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		return fw.Add(p)
	})
	if err != nil {
		fw.Close()
		return nil, fmt.Errorf("watch %s: %w", dir, err)
	}
	return w, nil
}

// walkFiles calls fn with the path, relative to the uploads directory, of
// every file under root that matches the trigger's filter.
func (w *watcher) walkFiles(root string, fn func(rel string)) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || !matchesFilter(d.Name()) {
			return nil
		}
		if rel, err := filepath.Rel(w.dir, p); err == nil {
			fn(filepath.ToSlash(rel))
		}
		return nil
	})
}

// skipExisting records the files already there: like a COS trigger created
// after the uploads, they do not fire. It returns their names.
func (w *watcher) skipExisting(ctx context.Context) []string {
	var names []string
	w.walkFiles(w.dir, func(rel string) {
		key := w.prefix + rel
		if a, err := w.bucket.Stat(ctx, key); err == nil {
			w.seen[key] = a.ETag
			names = append(names, rel)
		}
	})
	return names
}

// matchesFilter reports whether a file name matches the trigger's filter.
func matchesFilter(name string) bool {
	return strings.HasSuffix(name, ".csv") && !strings.HasPrefix(name, ".")
}

// run delivers events until ctx ends, then waits for fired callbacks.
func (w *watcher) run(ctx context.Context) {
	defer w.wg.Wait()
	defer w.stopTimers()
	for {
		select {
		case <-ctx.Done():
			return
		case err, ok := <-w.fs.Errors:
			if !ok {
				return
			}
			w.log.Warn("watcher", "err", err)
		case ev, ok := <-w.fs.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					w.addDir(ctx, ev.Name)
					continue
				}
			}
			if !matchesFilter(filepath.Base(ev.Name)) || ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Create) {
				continue
			}
			if rel, err := filepath.Rel(w.dir, ev.Name); err == nil {
				w.touch(ctx, filepath.ToSlash(rel))
			}
		}
	}
}

// addDir watches a new directory and settles the files already in it
// (moved in whole, or written before the watch was added).
func (w *watcher) addDir(ctx context.Context, dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if err := w.fs.Add(p); err != nil {
				w.log.Warn("watcher: add directory", "dir", p, "err", err)
			}
		}
		return nil
	})
	w.walkFiles(dir, func(rel string) { w.touch(ctx, rel) })
}

// touch (re)starts the settle timer of a file (a path relative to uploads/).
func (w *watcher) touch(ctx context.Context, name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t, ok := w.pending[name]; ok {
		t.Reset(quietPeriod)
		return
	}
	w.pending[name] = time.AfterFunc(quietPeriod, func() {
		if !w.enter() {
			return
		}
		defer w.wg.Done()
		w.settle(ctx, name)
	})
}

// settle fires for a file that has been quiet for quietPeriod, unless its
// size or time still moves or this version already fired.
func (w *watcher) settle(ctx context.Context, name string) {
	key := w.prefix + name
	a, err := w.bucket.Stat(ctx, key)
	if err != nil {
		w.forget(name)
		if !errors.Is(err, blob.ErrNotFound) {
			w.log.Warn("watcher: stat", "key", key, "err", err)
		}
		return
	}
	select {
	case <-time.After(quietPeriod / 5):
	case <-ctx.Done():
		w.forget(name)
		return
	}
	again, err := w.bucket.Stat(ctx, key)
	w.mu.Lock()
	if err == nil && again.ETag != a.ETag && w.pending[name] != nil {
		// Still being written without events we saw (e.g. mmap): look again.
		w.pending[name].Reset(quietPeriod)
		w.mu.Unlock()
		return
	}
	delete(w.pending, name)
	dup := w.seen[key] == a.ETag
	w.seen[key] = a.ETag
	w.mu.Unlock()
	if err != nil || dup || ctx.Err() != nil {
		return
	}
	w.fire(ctx, cosObject{
		bucket: sandboxBucket, region: sandboxRegion, key: key, size: a.Size,
		etag: a.ETag, at: a.ModTime, reqID: newRequestID(),
	})
}

func (w *watcher) forget(name string) {
	w.mu.Lock()
	delete(w.pending, name)
	w.mu.Unlock()
}

// enter registers a settle callback unless the watcher is stopping.
func (w *watcher) enter() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopping {
		return false
	}
	w.wg.Add(1)
	return true
}

func (w *watcher) stopTimers() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopping = true
	for name, t := range w.pending {
		t.Stop()
		delete(w.pending, name)
	}
}

// Close stops watching.
func (w *watcher) Close() error { return w.fs.Close() }

func newRequestID() string {
	h := randomHex(16)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}
