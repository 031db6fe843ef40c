package blob

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// tempPrefix marks in-progress writes; List skips such files and keys with
// a segment starting with it are refused.
const tempPrefix = ".blobtmp-"

// fileDriver keeps each object in a file under root, at the path the key
// names. Writes go to a temporary file in the same directory and are
// renamed into place, so readers see the old or the new object, never a
// part.
//
// ETag: the MD5 of the content, hex, remembered per file version (see
// etag.go); equal bytes have equal ETags, as on COS.
//
// ContentType is kept in the user.smsjump.content_type extended attribute,
// written on the temporary file before the rename; where the filesystem has
// no user xattrs it is guessed from the key's extension.
type fileDriver struct {
	root  string
	etags etagCache
}

// newFileDriver creates root if needed.
func newFileDriver(root string) (*fileDriver, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("%w: file:// URL needs an absolute directory, got %q", ErrConfig, root)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("%w: blob directory %s: %w", ErrConfig, root, err)
	}
	return &fileDriver{root: filepath.Clean(root)}, nil
}

// path maps a validated key to its file.
func (d *fileDriver) path(key string) (string, error) {
	for _, seg := range strings.Split(key, "/") {
		if strings.HasPrefix(seg, tempPrefix) {
			return "", fmt.Errorf("%w: key %q uses the reserved prefix %s", ErrInvalidKey, key, tempPrefix)
		}
	}
	p := filepath.Join(d.root, filepath.FromSlash(key))
	// ValidateKey already rules out "..": this guards the invariant itself.
	if !strings.HasPrefix(p, d.root+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: key %q leaves the bucket directory", ErrInvalidKey, key)
	}
	return p, nil
}

func notFound(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("blob %s %s: %w", op, key, ErrNotFound)
	}
	return fmt.Errorf("blob %s %s: %w", op, key, err)
}

func (d *fileDriver) NewRangeReader(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, notFound("read", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, notFound("read", key, err)
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("blob read %s: %w", key, ErrNotFound)
	}
	if offset >= fi.Size() {
		f.Close()
		return io.NopCloser(strings.NewReader("")), nil
	}
	n := fi.Size() - offset
	if length >= 0 && length < n {
		n = length
	}
	return &fileReader{ctx: ctx, f: f, r: io.NewSectionReader(f, offset, n)}, nil
}

// fileReader stops at ctx's end like a network read would.
type fileReader struct {
	ctx context.Context
	f   *os.File
	r   io.Reader
}

func (r *fileReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

func (r *fileReader) Close() error { return r.f.Close() }

func (d *fileDriver) NewWriter(ctx context.Context, key string, opts WriterOptions) (io.WriteCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("blob write %s: %w (is a parent of the key an object?)", key, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("blob write %s: %w", key, err)
	}
	return &fileWriter{ctx: ctx, key: key, dst: p, f: f, contentType: opts.ContentType, hash: md5.New(), d: d}, nil
}

type fileWriter struct {
	ctx         context.Context
	key, dst    string
	f           *os.File
	contentType string
	hash        hash.Hash // of what was written: the ETag
	d           *fileDriver
	err         error // sticky: a failed write aborts the object
	closed      bool
}

func (w *fileWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, fmt.Errorf("blob write %s: writer closed", w.key)
	}
	if err := w.ctx.Err(); err != nil {
		w.err = fmt.Errorf("blob write %s: %w", w.key, err)
		return 0, w.err
	}
	n, err := w.f.Write(p)
	w.hash.Write(p[:n])
	if err != nil {
		w.err = fmt.Errorf("blob write %s: %w", w.key, err)
	}
	return n, w.err
}

// Close commits the object unless a write failed or ctx is done.
func (w *fileWriter) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	tmp := w.f.Name()
	commit := func() error {
		if w.err != nil {
			return w.err
		}
		if err := w.ctx.Err(); err != nil {
			return fmt.Errorf("blob write %s: %w", w.key, err)
		}
		if w.contentType != "" {
			if err := setContentType(w.f, w.contentType); err != nil {
				return fmt.Errorf("blob write %s: content type: %w", w.key, err)
			}
		}
		// Sync before the rename, or a crash could leave the new name
		// pointing at an empty file.
		if err := w.f.Sync(); err != nil {
			return fmt.Errorf("blob write %s: %w", w.key, err)
		}
		// The hash goes with the file's final identity (the rename keeps
		// inode and mtime), so Stat need not read the object back.
		if fi, err := w.f.Stat(); err == nil {
			id := idOf(fi)
			tag := hex.EncodeToString(w.hash.Sum(nil))
			setETagFile(w.f, id, tag)
			w.d.etags.remember(w.dst, id, tag)
		}
		return nil
	}
	err := commit()
	if cerr := w.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("blob write %s: %w", w.key, cerr)
	}
	if err == nil {
		if rerr := os.Rename(tmp, w.dst); rerr != nil {
			err = fmt.Errorf("blob write %s: %w", w.key, rerr)
		}
	}
	if err != nil {
		_ = os.Remove(tmp)
		w.err = err
	}
	return err
}

func (d *fileDriver) Stat(_ context.Context, key string) (Attrs, error) {
	p, err := d.path(key)
	if err != nil {
		return Attrs{}, err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return Attrs{}, notFound("stat", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Attrs{}, fmt.Errorf("blob stat %s: %w", key, ErrNotFound)
	}
	a, err := d.attrs(p, key, fi)
	if err != nil {
		return Attrs{}, notFound("stat", key, err)
	}
	a.ContentType = contentType(p, key)
	return a, nil
}

func (d *fileDriver) attrs(p, key string, fi fs.FileInfo) (Attrs, error) {
	tag, err := d.etags.etag(p, fi)
	if err != nil {
		return Attrs{}, err
	}
	return Attrs{Key: key, Size: fi.Size(), ETag: tag, ModTime: fi.ModTime()}, nil
}

// contentType reads the stored type, or guesses it from the extension.
func contentType(p, key string) string {
	if ct, ok := getContentType(p); ok {
		return ct
	}
	if ct := mime.TypeByExtension(path.Ext(key)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// ListPage walks only the directory the prefix is in, collects matching
// keys, sorts them in byte order (as COS does; a directory walk would put
// "a/b" before "a-c") and returns the page after token.
func (d *fileDriver) ListPage(ctx context.Context, prefix, token string, pageSize int) ([]Attrs, string, error) {
	dir := d.root
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir = filepath.Join(d.root, filepath.FromSlash(prefix[:i]))
	}
	type entry struct {
		key string
		fi  fs.FileInfo
	}
	var found []entry
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(d.root, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if de.IsDir() {
			// Skip directories that cannot hold a match.
			if p != dir && !strings.HasPrefix(key+"/", prefix) && !strings.HasPrefix(prefix, key+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if !de.Type().IsRegular() || strings.HasPrefix(de.Name(), tempPrefix) ||
			!strings.HasPrefix(key, prefix) || key <= token {
			return nil
		}
		fi, err := de.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // deleted during the walk
		} else if err != nil {
			return err
		}
		found = append(found, entry{key, fi})
		return nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("blob list %s: %w", prefix, err)
	}
	slices.SortFunc(found, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	next := ""
	if len(found) > pageSize {
		found = found[:pageSize]
		next = found[pageSize-1].key
	}
	out := make([]Attrs, 0, len(found))
	for _, e := range found {
		a, err := d.attrs(filepath.Join(d.root, filepath.FromSlash(e.key)), e.key, e.fi)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, "", fmt.Errorf("blob list %s: %w", prefix, err)
		}
		out = append(out, a)
	}
	return out, next, nil
}

// Delete removes the file and the directories it leaves empty.
func (d *fileDriver) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return fmt.Errorf("blob delete %s: %w", key, err)
	}
	if fi.IsDir() {
		return nil // a "directory" is no object
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob delete %s: %w", key, err)
	}
	for dir := filepath.Dir(p); dir != d.root; dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break // not empty (or raced with a writer): stop
		}
	}
	return nil
}

func (d *fileDriver) Close() error { return nil }
