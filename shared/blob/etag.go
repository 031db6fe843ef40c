package blob

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// A local object's ETag is the MD5 of its bytes, hex, like COS gives for a
// simple upload: copying the same file in again keeps the ETag, so the
// same campaign is never taken for a new upload (and, with --live, never
// sent again for real). Hashing a big CSV on every Stat would be slow, so
// the hash is remembered with the file's identity (size, mtime, inode): in
// an extended attribute where the filesystem has them (written by our own
// writer before the rename, or after the first hash of a file copied in),
// and in memory.

// fileID identifies a version of a file without reading it.
type fileID [24]byte

func idOf(fi fs.FileInfo) fileID {
	var id fileID
	binary.BigEndian.PutUint64(id[0:], uint64(fi.Size()))
	binary.BigEndian.PutUint64(id[8:], uint64(fi.ModTime().UnixNano()))
	binary.BigEndian.PutUint64(id[16:], inode(fi))
	return id
}

// etagCache remembers hashes by path and file identity.
type etagCache struct {
	mu sync.Mutex
	m  map[string]etagEntry
}

type etagEntry struct {
	id   fileID
	etag string
}

// etag returns the content hash of the file at p described by fi.
func (c *etagCache) etag(p string, fi fs.FileInfo) (string, error) {
	id := idOf(fi)
	c.mu.Lock()
	e, ok := c.m[p]
	c.mu.Unlock()
	if ok && e.id == id {
		return e.etag, nil
	}
	if tag, ok := getETag(p, id); ok {
		c.remember(p, id, tag)
		return tag, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", p, err)
	}
	tag := hex.EncodeToString(h.Sum(nil))
	// The file may have changed while it was read: keep the hash only if
	// its identity did not.
	if fi2, err := f.Stat(); err == nil && idOf(fi2) == id {
		setETagPath(p, id, tag)
		c.remember(p, id, tag)
	}
	return tag, nil
}

func (c *etagCache) remember(p string, id fileID, tag string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string]etagEntry)
	}
	if len(c.m) > 1<<16 {
		clear(c.m) // a bound, not an LRU: hashes are cheap to redo
	}
	c.m[p] = etagEntry{id, tag}
}

// etagValue is what the xattr holds: the identity, then the hash.
func etagValue(id fileID, tag string) []byte { return append(id[:], tag...) }

func parseETagValue(b []byte, id fileID) (string, bool) {
	if len(b) != len(id)+2*md5.Size || [24]byte(b[:len(id)]) != id {
		return "", false
	}
	return string(b[len(id):]), true
}
