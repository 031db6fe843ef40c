//go:build linux

package blob

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

const (
	contentTypeXattr = "user.smsjump.content_type"
	etagXattr        = "user.smsjump.etag"
)

// setETagFile and setETagPath remember a content hash; failing (no user
// xattrs, a read-only file) only costs a re-hash later.
func setETagFile(f *os.File, id fileID, tag string) {
	_ = unix.Fsetxattr(int(f.Fd()), etagXattr, etagValue(id, tag), 0)
}

func setETagPath(p string, id fileID, tag string) {
	_ = unix.Setxattr(p, etagXattr, etagValue(id, tag), 0)
}

func getETag(p string, id fileID) (string, bool) {
	var buf [64]byte
	n, err := unix.Getxattr(p, etagXattr, buf[:])
	if err != nil || n <= 0 {
		return "", false
	}
	return parseETagValue(buf[:n], id)
}

func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

// setContentType stores ct on the open file. A filesystem without user
// xattrs is not an error: the type is then guessed on read.
func setContentType(f *os.File, ct string) error {
	err := unix.Fsetxattr(int(f.Fd()), contentTypeXattr, []byte(ct), 0)
	if errors.Is(err, unix.ENOTSUP) || errors.Is(err, unix.EOPNOTSUPP) {
		return nil
	}
	return err
}

func getContentType(p string) (string, bool) {
	var buf [256]byte
	n, err := unix.Getxattr(p, contentTypeXattr, buf[:])
	if err != nil || n <= 0 {
		return "", false
	}
	return string(buf[:n]), true
}
